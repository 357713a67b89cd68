import { createApiHarness, type ApiHarness } from '../../test/api-harness';

let api: ApiHarness;
beforeAll(async () => {
  api = await createApiHarness();
}, 120_000);
afterAll(() => api?.close());

test('sign up, sign in, and me', async () => {
  const account = await api.signUp('ada');
  const signIn = await api.request('POST', '/api/v1/auth/signin', { body: { email: account.email.toUpperCase(), password: account.password } });
  expect(signIn.status).toBe(200);
  expect(signIn.body).toMatchObject({ tokenType: 'Bearer', expiresIn: 900 });
  const me = await api.request('GET', '/api/v1/auth/me', { token: signIn.body.accessToken });
  expect(me.body).toMatchObject({ user: { email: account.email }, workspace: { id: account.workspaceId, role: 'owner' }, via: 'token' });
  expect((await api.request('POST', '/api/v1/auth/signup', { body: { email: account.email, password: 'another long one' } })).status).toBe(409);
  expect((await api.request('GET', '/api/v1/auth/me')).status).toBe(401);
  expect((await api.request('GET', '/api/v1/auth/me', { token: 'garbage' })).body.error.code).toBe('unauthorized');
});

test('a refresh token rotates; reusing a spent one revokes the whole family', async () => {
  const account = await api.signUp('bob');
  const first = await api.request('POST', '/api/v1/auth/refresh', { body: { refreshToken: account.refreshToken } });
  expect(first.status).toBe(200);
  const second = await api.request('POST', '/api/v1/auth/refresh', { body: { refreshToken: first.body.refreshToken } });
  expect(second.status).toBe(200);
  const reuse = await api.request('POST', '/api/v1/auth/refresh', { body: { refreshToken: account.refreshToken } });
  expect(reuse.status).toBe(401);
  expect(reuse.body.error.message).toMatch(/already used/);
  expect((await api.request('POST', '/api/v1/auth/refresh', { body: { refreshToken: second.body.refreshToken } })).status).toBe(401);
});

test('sign out revokes the refresh token', async () => {
  const account = await api.signUp('carl');
  expect((await api.request('POST', '/api/v1/auth/signout', { body: { refreshToken: account.refreshToken } })).status).toBe(204);
  expect((await api.request('POST', '/api/v1/auth/refresh', { body: { refreshToken: account.refreshToken } })).status).toBe(401);
});

test('API keys work as Bearer tokens, are listed without the key, and stop working when revoked', async () => {
  const account = await api.signUp('dora');
  const created = await api.request('POST', '/api/v1/api-keys', { token: account.token, body: { name: 'ci' } });
  expect(created.status).toBe(201);
  const { key, id } = created.body;
  expect(key).toMatch(/^kai_key_/);
  const me = await api.request('GET', '/api/v1/auth/me', { token: key });
  expect(me.body).toMatchObject({ via: 'apiKey', workspace: { id: account.workspaceId } });
  const list = await api.request('GET', '/api/v1/api-keys', { token: account.token });
  expect(list.body).toHaveLength(1);
  expect(JSON.stringify(list.body)).not.toContain(key);
  expect(list.body[0].lastUsedAt).not.toBeNull();
  expect((await api.request('DELETE', `/api/v1/api-keys/${id}`, { token: account.token })).status).toBe(204);
  expect((await api.request('GET', '/api/v1/auth/me', { token: key })).status).toBe(401);
});

test('failed sign-ins are throttled per account with Retry-After, and every attempt is recorded', async () => {
  const account = await api.signUp('eve');
  for (let i = 0; i < 5; i++) {
    expect((await api.request('POST', '/api/v1/auth/signin', { body: { email: account.email, password: 'wrong password' } })).status).toBe(401);
  }
  const throttled = await api.request('POST', '/api/v1/auth/signin', { body: { email: account.email, password: account.password } });
  expect(throttled.status).toBe(429);
  expect(Number(throttled.headers.get('retry-after'))).toBeGreaterThan(0);
  const attempts = await api.database.orm.em.fork().getConnection().execute('select count(*)::int as n from sign_in_attempts where email = ?', [account.email]);
  expect(attempts[0].n).toBe(5);
});

test('owners add members; a viewer reads but cannot write; another workspace answers 404', async () => {
  const owner = await api.signUp('owner');
  const viewer = await api.signUp('viewer');
  const stranger = await api.signUp('stranger');
  await api.addMember(owner, viewer, 'viewer');
  const asViewer = { token: viewer.token, headers: { 'x-kai-workspace': owner.workspaceId } };
  expect((await api.request('GET', '/api/v1/auth/me', asViewer)).body.workspace).toMatchObject({ id: owner.workspaceId, role: 'viewer' });
  expect((await api.request('POST', '/api/v1/api-keys', { ...asViewer, body: { name: 'x' } })).status).toBe(403);
  expect((await api.request('GET', `/api/v1/workspaces/${owner.workspaceId}/members`, { token: stranger.token })).status).toBe(404);
  expect((await api.request('GET', '/api/v1/auth/me', { token: stranger.token, headers: { 'x-kai-workspace': owner.workspaceId } })).status).toBe(404);
});
