import { createApiHarness, type ApiHarness, type RequestOptions, type TestAccount } from '../../test/api-harness';

/**
 * API keys act within their scopes: by default they read, run and write, but cannot manage keys, members or
 * workspaces, so a leaked key cannot leave a replacement behind; a key never grants more than it holds. Members
 * manage their own keys; only owners see and revoke everyone's.
 */

let api: ApiHarness;
let owner: TestAccount;
let editor: TestAccount;
let asEditor: RequestOptions;
beforeAll(async () => {
  api = await createApiHarness();
  owner = await api.signUp('owner');
  editor = await api.signUp('editor');
  await api.addMember(owner, editor, 'editor');
  asEditor = { token: editor.token, headers: { 'x-kai-workspace': owner.workspaceId } };
}, 120_000);
afterAll(() => api?.close());

interface CreatedKey {
  id: string;
  key: string;
  scopes: string[];
}

async function createKey(options: RequestOptions, body: Record<string, unknown> = {}): Promise<CreatedKey> {
  const created = await api.request<CreatedKey>('POST', '/api/v1/api-keys', { ...options, body: { name: 'test key', ...body } });
  expect(created.status).toBe(201);
  return created.body;
}

function expectForbidden(response: { status: number; body: { error: { code: string; message: string } } }, message: RegExp) {
  expect({ status: response.status, code: response.body.error.code }).toEqual({ status: 403, code: 'forbidden' });
  expect(response.body.error.message).toMatch(message);
}

test('a key made without scopes reads, runs and writes, and says so', async () => {
  const { key, scopes } = await createKey({ token: owner.token });
  expect(scopes).toEqual(['read', 'run', 'write']);
  expect((await api.request('GET', '/api/v1/workflows', { token: key })).status).toBe(200);
  expect((await api.request('POST', '/api/v1/workflows', { token: key, body: { name: 'By key' } })).status).toBe(201);
});

test('a default key cannot manage keys, members, invitations or workspaces: 403 names the missing scope', async () => {
  const { id, key } = await createKey({ token: owner.token });
  const asKey = { token: key };
  const workspacePath = `/api/v1/workspaces/${owner.workspaceId}`;
  const attempts: [string, string, unknown?][] = [
    ['POST', '/api/v1/api-keys', { name: 'replacement' }],
    ['GET', '/api/v1/api-keys'],
    ['DELETE', `/api/v1/api-keys/${id}`],
    ['POST', '/api/v1/workspaces', { name: 'Planted' }],
    ['POST', `${workspacePath}/invitations`, { email: 'accomplice@example.com', role: 'editor' }],
    ['GET', `${workspacePath}/invitations`],
  ];
  for (const [method, path, body] of attempts) {
    expectForbidden(await api.request(method, path, { ...asKey, body }), /lacks the "admin" scope/);
  }
  const keys = await api.request<{ id: string; revokedAt: string | null }[]>('GET', '/api/v1/api-keys', { token: owner.token });
  expect(keys.body.find((listed) => listed.id === id)?.revokedAt).toBeNull();
  expect((await api.request<{ name: string }[]>('GET', '/api/v1/workspaces', { token: owner.token })).body.map((w) => w.name)).not.toContain('Planted');
});

test('joining a workspace needs a signed-in session, whatever the key holds', async () => {
  const { key } = await createKey({ token: owner.token }, { scopes: ['read', 'run', 'write', 'admin'] });
  const stranger = await api.signUp('stranger');
  const invited = await api.request<{ id: string }>('POST', `/api/v1/workspaces/${stranger.workspaceId}/invitations`, { token: stranger.token, body: { email: owner.email, role: 'editor' } });
  expectForbidden(await api.request('GET', '/api/v1/invitations', { token: key }), /sign in/);
  expectForbidden(await api.request('POST', `/api/v1/invitations/${invited.body.id}/accept`, { token: key }), /sign in/);
  expect((await api.request('GET', '/api/v1/invitations', { token: owner.token })).body).toHaveLength(1);
});

test('each scope opens only its routes', async () => {
  const workflow = await api.request<{ id: string }>('POST', '/api/v1/workflows', { token: owner.token, body: { name: 'Scoped' } });
  const readOnly = (await createKey({ token: owner.token }, { scopes: ['read'] })).key;
  expect((await api.request('GET', `/api/v1/workflows/${workflow.body.id}`, { token: readOnly })).status).toBe(200);
  expectForbidden(await api.request('PATCH', `/api/v1/workflows/${workflow.body.id}`, { token: readOnly, body: { name: 'Renamed' } }), /lacks the "write" scope/);
  expectForbidden(await api.request('POST', `/api/v1/workflows/${workflow.body.id}/runs`, { token: readOnly, body: {} }), /lacks the "run" scope/);

  const runOnly = (await createKey({ token: owner.token }, { scopes: ['run'] })).key;
  expectForbidden(await api.request('GET', '/api/v1/workflows', { token: runOnly }), /lacks the "read" scope/);
  expectForbidden(await api.request('POST', '/api/v1/workflows', { token: runOnly, body: { name: 'No' } }), /lacks the "write" scope/);
});

test('an admin key makes keys only with scopes it holds itself', async () => {
  const admin = (await createKey({ token: owner.token }, { scopes: ['read', 'admin'] })).key;
  const broader = await api.request('POST', '/api/v1/api-keys', { token: admin, body: { name: 'broader', scopes: ['read', 'write'] } });
  expectForbidden(broader, /cannot grant scopes it does not hold: write/);
  expect(broader.body.error.details).toEqual([{ path: 'body.scopes', message: expect.stringContaining('write') }]);
  expectForbidden(await api.request('POST', '/api/v1/api-keys', { token: admin, body: { name: 'default' } }), /cannot grant scopes it does not hold: run, write/);
  expect((await createKey({ token: admin }, { scopes: ['read'] })).scopes).toEqual(['read']);
});

test('an unknown scope is refused, naming the field', async () => {
  const response = await api.request('POST', '/api/v1/api-keys', { token: owner.token, body: { name: 'x', scopes: ['everything'] } });
  expect(response.status).toBe(400);
  expect(response.body.error.details[0].path).toBe('body.scopes.0');
});

test("an editor cannot list or revoke the owner's keys, but can their own; the owner can revoke the editor's", async () => {
  const ownerKey = await createKey({ token: owner.token });
  const editorKey = await createKey(asEditor);

  const editorList = await api.request<{ id: string; userId: string }[]>('GET', '/api/v1/api-keys', asEditor);
  expect(editorList.status).toBe(200);
  expect(editorList.body.map((key) => key.userId)).toEqual([editor.userId]);
  expect(editorList.text).not.toContain(ownerKey.id);

  expect((await api.request('DELETE', `/api/v1/api-keys/${ownerKey.id}`, asEditor)).status).toBe(404);
  expect((await api.request('GET', '/api/v1/auth/me', { token: ownerKey.key })).status).toBe(200);
  expect((await api.request('DELETE', `/api/v1/api-keys/${editorKey.id}`, asEditor)).status).toBe(204);
  expect((await api.request('GET', '/api/v1/auth/me', { token: editorKey.key })).status).toBe(401);

  const another = await createKey(asEditor);
  const ownerList = await api.request<{ id: string }[]>('GET', '/api/v1/api-keys', { token: owner.token });
  expect(ownerList.body.map((key) => key.id)).toEqual(expect.arrayContaining([ownerKey.id, another.id]));
  expect((await api.request('DELETE', `/api/v1/api-keys/${another.id}`, { token: owner.token })).status).toBe(204);
  expect((await api.request('GET', '/api/v1/auth/me', { token: another.key })).status).toBe(401);
});
