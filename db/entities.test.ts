import { UniqueConstraintViolationException, wrap } from '@mikro-orm/core';
import type { GraphInput } from '../engine/graph';
import { graphSchema } from '../engine/graph';
import { Credential, Membership, Run, User, Workflow, WorkflowVersion, Workspace } from './entities';
import { createTestDatabase, type TestDatabase } from './test-database';

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.close();
});

const graph = graphSchema.parse({
  nodes: [
    { id: 'start', type: 'start', version: 1, data: { config: {} } },
    { id: 'end', type: 'end', version: 1, data: { config: {} } },
  ],
  edges: [{ id: 'e', source: 'start', target: 'end' }],
} satisfies GraphInput);

async function owner(email: string) {
  const em = db.orm.em.fork();
  const user = em.create(User, { email, passwordHash: 'hash' });
  const workspace = em.create(Workspace, { name: `${email}'s workspace` });
  em.create(Membership, { user, workspace, role: 'owner' });
  await em.flush();
  return { user, workspace };
}

test('emails are stored lower-cased and found whatever their case; a second account for one address is refused', async () => {
  const { user } = await owner('Ada.Lovelace@Example.COM');
  const [row] = await db.orm.em.getConnection().execute<{ email: string }[]>('select email from users where id = ?', [user.id]);
  expect(row.email).toBe('ada.lovelace@example.com');
  expect(await db.orm.em.fork().findOne(User, { email: 'ADA.LOVELACE@example.com' })).toMatchObject({ id: user.id });

  const em = db.orm.em.fork();
  em.create(User, { email: 'ada.lovelace@EXAMPLE.com', passwordHash: 'other' });
  await expect(em.flush()).rejects.toThrow(UniqueConstraintViolationException);
  await expect(
    db.orm.em.getConnection().execute(`insert into users (id, email, password_hash, created_at) values (gen_random_uuid(), 'Upper@Case.io', 'h', now())`),
  ).rejects.toThrow(/users_email_lower_case_check/);
});

test('a user is a member of a workspace once', async () => {
  const { user, workspace } = await owner('once@example.com');
  const em = db.orm.em.fork();
  em.create(Membership, { user: user.id, workspace: workspace.id, role: 'viewer' });
  await expect(em.flush()).rejects.toThrow(UniqueConstraintViolationException);
});

test('a workflow keeps its tags and graph, and deleting its workspace removes everything in it', async () => {
  const { user, workspace } = await owner('cascade@example.com');
  const em = db.orm.em.fork();
  const workflow = em.create(Workflow, { workspace: workspace.id, name: 'Digest', tags: ['news', 'daily'], draftGraph: graph, createdBy: user.id });
  const version = em.create(WorkflowVersion, { workflow, number: 1, graph, createdBy: user.id });
  em.create(Run, {
    id: 'run-cascade',
    workspace: workspace.id,
    workflow,
    version,
    versionNumber: 1,
    trigger: 'api',
    startedBy: user.id,
    temporalRunId: 'temporal-run',
    status: 'running',
    inputs: { topic: 'x' },
  });
  em.create(Credential, { workspace: workspace.id, name: 'openai', kind: 'api-key', publicData: { account: 'a' }, secretCiphertext: 'v1:…' });
  await em.flush();

  const loaded = await db.orm.em.fork().findOneOrFail(Workflow, { id: workflow.id });
  expect(loaded.tags).toEqual(['news', 'daily']);
  expect(loaded.draftGraph).toEqual(graph);
  expect(loaded.description).toBe('');

  await db.orm.em.fork().nativeDelete(Workspace, { id: workspace.id });
  const fork = db.orm.em.fork();
  expect(await fork.count(Workflow, { workspace: workspace.id })).toBe(0);
  expect(await fork.count(WorkflowVersion, { id: version.id })).toBe(0);
  expect(await fork.count(Run, { id: 'run-cascade' })).toBe(0);
  expect(await fork.count(Credential, { workspace: workspace.id })).toBe(0);
  expect(await fork.count(Membership, { workspace: workspace.id })).toBe(0);
  expect(await fork.count(User, { id: user.id })).toBe(1);
});

test('secret columns never appear when an entity is serialised', async () => {
  const { user, workspace } = await owner('hidden@example.com');
  const em = db.orm.em.fork();
  const credential = em.create(Credential, { workspace: workspace.id, name: 'smtp', kind: 'smtp', publicData: { host: 'mail' }, secretCiphertext: 'v1:sealed' });
  await em.flush();
  expect(wrap(credential).toObject()).not.toHaveProperty('secretCiphertext');
  expect(wrap(user).toObject()).not.toHaveProperty('passwordHash');
  expect((await db.orm.em.fork().findOneOrFail(Credential, { id: credential.id })).secretCiphertext).toBe('v1:sealed');
});

test('a run status outside the known ones is refused by the database', async () => {
  const { user, workspace } = await owner('status@example.com');
  const em = db.orm.em.fork();
  const workflow = em.create(Workflow, { workspace: workspace.id, name: 'W', draftGraph: graph, createdBy: user.id });
  const version = em.create(WorkflowVersion, { workflow, number: 1, graph, createdBy: user.id });
  await em.flush();
  await expect(
    db.orm.em
      .getConnection()
      .execute(
        `insert into runs (id, workspace_id, workflow_id, version_id, version_number, trigger, temporal_run_id, status, inputs, started_at) values ('r', ?, ?, ?, 1, 'api', 't', 'paused', '{}', now())`,
        [workspace.id, workflow.id, version.id],
      ),
  ).rejects.toThrow(/runs_status_check/);
});
