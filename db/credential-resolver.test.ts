import { randomBytes, randomUUID } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/activity';
import { DbCredentialResolver } from './credential-resolver';
import { Credential, Workspace } from './entities';
import { seal, SecretBoxError, secretKey } from './secret-box';
import { createTestDatabase, type TestDatabase } from './test-database';

let db: TestDatabase;
const key = secretKey(randomBytes(32));

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.close();
});

async function workspaceWithCredential(kind: string, publicData: Record<string, string>, secretData: Record<string, string>, sealWith = key) {
  const em = db.orm.em.fork();
  const workspace = em.create(Workspace, { name: 'resolver' });
  const credential = em.create(Credential, { workspace, name: `${kind} credential`, kind, publicData, secretCiphertext: seal(JSON.stringify(secretData), sealWith) });
  await em.flush();
  return { workspaceId: workspace.id, credentialId: credential.id };
}

async function resolveFailure(workspaceId: string | undefined, credentialId: string): Promise<ApplicationFailure> {
  const error = await new DbCredentialResolver(db.orm.em, key).resolve(workspaceId, credentialId).catch((e: unknown) => e);
  if (!(error instanceof ApplicationFailure)) throw new Error(`expected an ApplicationFailure, got ${String(error)}`);
  return error;
}

test('a credential resolves in its own workspace with public and decrypted secret fields together', async () => {
  const { workspaceId, credentialId } = await workspaceWithCredential('http_basic', { username: 'ada' }, { password: 's3cret-∑' });
  const resolved = await new DbCredentialResolver(db.orm.em, key).resolve(workspaceId, credentialId);
  expect(resolved).toEqual({ id: credentialId, kind: 'http_basic', name: 'http_basic credential', data: { username: 'ada', password: 's3cret-∑' } });
});

test("another workspace's credential, an unknown id, a malformed id and a run without a workspace all fail non-retryably", async () => {
  const { credentialId } = await workspaceWithCredential('http_bearer', {}, { token: 'tok' });
  const { workspaceId: otherWorkspaceId } = await workspaceWithCredential('http_bearer', {}, { token: 'other' });
  for (const [workspaceId, id] of [
    [otherWorkspaceId, credentialId],
    [otherWorkspaceId, randomUUID()],
    [otherWorkspaceId, 'not-a-uuid'],
    [undefined, credentialId],
  ] as const) {
    const failure = await resolveFailure(workspaceId, id);
    expect(failure).toMatchObject({ type: 'InvalidCredential', nonRetryable: true, message: `credential ${id} does not exist in this workspace` });
  }
});

test('a stored kind the activities do not know fails non-retryably', async () => {
  const { workspaceId, credentialId } = await workspaceWithCredential('carrier_pigeon', {}, { seed: 'x' });
  expect(await resolveFailure(workspaceId, credentialId)).toMatchObject({
    type: 'InvalidCredential',
    nonRetryable: true,
    message: `credential ${credentialId} has an unknown kind "carrier_pigeon"`,
  });
});

test('a credential sealed with another key is refused non-retryably, not returned garbled', async () => {
  const { workspaceId, credentialId } = await workspaceWithCredential('http_bearer', {}, { token: 'tok' }, secretKey(randomBytes(32)));
  await expect(new DbCredentialResolver(db.orm.em, key).resolve(workspaceId, credentialId)).rejects.toMatchObject({
    type: 'InvalidCredential',
    nonRetryable: true,
    cause: expect.any(SecretBoxError),
  });
});
