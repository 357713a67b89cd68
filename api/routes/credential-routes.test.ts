import { randomBytes } from 'node:crypto';
import { WorkflowFailedError } from '@temporalio/client';
import type { GraphInput } from '../../engine/graph';
import { open } from '../../db/secret-box';
import { startRun, type RunHandle } from '../../platform/start-run';
import { createApiHarness, type ApiHarness, type ApiResponse, type RequestOptions, type TestAccount } from '../../test/api-harness';
import { graphEdge, graphNode } from '../../test/graph-builders';
import { sendJson, startHttpFixture, type HttpFixture } from '../../test/http-fixture';
import { quietRuntime } from '../../test/temporal-harness';
import { runStateQuery } from '../../workflows/messages';

let api: ApiHarness;
let http: HttpFixture;

beforeAll(async () => {
  // One run here fails on purpose; the worker would log it as a warning.
  quietRuntime('ERROR');
  [api, http] = await Promise.all([createApiHarness(), startHttpFixture()]);
}, 120_000);
afterAll(async () => {
  await Promise.all([api?.close(), http?.close()]);
});

/** The text of every answer a credential route gave, error answers included: none may carry a secret. */
const answers: string[] = [];

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read response bodies by path
async function call(method: string, path: string, options: RequestOptions = {}): Promise<ApiResponse<any>> {
  const response = await api.request(method, `/api/v1/credentials${path}`, options);
  answers.push(response.text);
  return response;
}

function newSecret(label: string): string {
  return `${label}-${randomBytes(16).toString('hex')}`;
}

function expectNowhere(secret: string): void {
  for (const answer of answers) expect(answer).not.toContain(secret);
  for (const line of api.logs) expect(line).not.toContain(secret);
}

async function storedRow(id: string): Promise<{ public_data: Record<string, unknown>; secret_ciphertext: string }> {
  const [row] = await api.database.orm.em.fork().getConnection().execute<{ public_data: Record<string, unknown>; secret_ciphertext: string }[]>(
    'select public_data, secret_ciphertext from credentials where id = ?',
    [id],
  );
  return row;
}

async function storedSecrets(id: string): Promise<Record<string, unknown>> {
  return JSON.parse(open((await storedRow(id)).secret_ciphertext, api.services.encryptionKey));
}

async function addMember(owner: TestAccount, role: 'editor' | 'viewer'): Promise<RequestOptions> {
  const member = await api.signUp(role);
  await api.addMember(owner, member, role);
  return { token: member.token, headers: { 'x-kai-workspace': owner.workspaceId } };
}

test('create, list, read, rename, replace and delete; secrets are stored sealed and never answered', async () => {
  const owner = await api.signUp('crud');
  const as = { token: owner.token };
  const token = newSecret('bearer');
  const password = newSecret('basic');

  const bearer = await call('POST', '', { ...as, body: { name: 'GitHub', kind: 'http_bearer', data: { token } } });
  expect(bearer.status).toBe(201);
  expect(bearer.body).toMatchObject({ name: 'GitHub', kind: 'http_bearer', publicData: {}, secretFields: ['token'] });
  const basic = await call('POST', '', { ...as, body: { name: 'Intranet', kind: 'http_basic', data: { username: 'ada', password } } });
  expect(basic.body).toMatchObject({ kind: 'http_basic', publicData: { username: 'ada' }, secretFields: ['password'] });

  const row = await storedRow(bearer.body.id);
  expect(row.secret_ciphertext).not.toContain(token);
  expect(row.public_data).toEqual({});
  expect(await storedSecrets(bearer.body.id)).toEqual({ token });
  expect(await storedSecrets(basic.body.id)).toEqual({ password });

  const list = await call('GET', '', as);
  expect(list.status).toBe(200);
  expect(list.body.map((c: { name: string }) => c.name)).toEqual(['GitHub', 'Intranet']);
  expect(Object.keys(list.body[0]).sort()).toEqual(['createdAt', 'id', 'kind', 'name', 'publicData', 'secretFields', 'updatedAt']);
  expect((await call('GET', `/${basic.body.id}`, as)).body).toEqual(basic.body);

  expect((await call('POST', '', { ...as, body: { name: 'GitHub', kind: 'http_bearer', data: { token: 'another' } } })).status).toBe(409);
  expect((await call('PATCH', `/${basic.body.id}`, { ...as, body: { name: 'GitHub' } })).status).toBe(409);

  const renamed = await call('PATCH', `/${bearer.body.id}`, { ...as, body: { name: 'GitHub (CI)' } });
  expect(renamed.body).toMatchObject({ id: bearer.body.id, name: 'GitHub (CI)', secretFields: ['token'] });
  expect(Date.parse(renamed.body.updatedAt)).toBeGreaterThanOrEqual(Date.parse(bearer.body.updatedAt));
  expect(await storedSecrets(bearer.body.id)).toEqual({ token });

  const rotated = newSecret('rotated');
  expect((await call('PATCH', `/${bearer.body.id}`, { ...as, body: { data: { token: rotated } } })).status).toBe(200);
  expect(await storedSecrets(bearer.body.id)).toEqual({ token: rotated });

  expect((await call('DELETE', `/${bearer.body.id}`, as)).status).toBe(204);
  expect((await call('GET', `/${bearer.body.id}`, as)).status).toBe(404);
  expect((await call('DELETE', `/${bearer.body.id}`, as)).status).toBe(404);
  expect((await call('GET', '', as)).body).toHaveLength(1);

  for (const secret of [token, password, rotated]) expectNowhere(secret);
});

test('kinds list each kind with the JSON Schema of its data and its secret fields', async () => {
  const owner = await api.signUp('kinds');
  const kinds = await call('GET', '/kinds', { token: owner.token });
  expect(kinds.status).toBe(200);
  const basic = kinds.body.find((k: { kind: string }) => k.kind === 'http_basic');
  expect(basic).toMatchObject({
    label: 'HTTP Basic auth',
    secretFields: ['password'],
    schema: { type: 'object', properties: { username: { type: 'string' }, password: { type: 'string' } }, required: ['username', 'password'], additionalProperties: false },
  });
  expect(kinds.body.map((k: { kind: string }) => k.kind)).toEqual(expect.arrayContaining(['openai', 'http_bearer', 'http_header', 'postgres']));
});

test('a PATCH that leaves a secret out keeps it; a PATCH that fails validation changes nothing', async () => {
  const owner = await api.signUp('patch');
  const as = { token: owner.token };
  const password = newSecret('kept');
  const created = await call('POST', '', { ...as, body: { name: 'Basic', kind: 'http_basic', data: { username: 'ada', password } } });

  const patched = await call('PATCH', `/${created.body.id}`, { ...as, body: { data: { username: 'grace' } } });
  expect(patched.status).toBe(200);
  expect(patched.body.publicData).toEqual({ username: 'grace' });
  expect(await storedSecrets(created.body.id)).toEqual({ password });

  const invalid = await call('PATCH', `/${created.body.id}`, { ...as, body: { data: { username: '' } } });
  expect(invalid.status).toBe(400);
  expect(invalid.body.error.details.map((d: { path: string }) => d.path)).toEqual(['body.data.username']);
  expect((await storedRow(created.body.id)).public_data).toEqual({ username: 'grace' });
  expect(await storedSecrets(created.body.id)).toEqual({ password });
  expectNowhere(password);
});

test('invalid data is a 400 naming the field', async () => {
  const owner = await api.signUp('invalid');
  const as = { token: owner.token };
  const pathsOf = async (method: string, path: string, body: unknown) => {
    const answer = await call(method, path, { ...as, body });
    expect(answer.status).toBe(400);
    expect(answer.body.error.code).toBe('validation_failed');
    return answer.body.error.details.map((d: { path: string }) => d.path);
  };
  expect(await pathsOf('POST', '', { name: 'b', kind: 'http_basic', data: { username: 'ada' } })).toEqual(['body.data.password']);
  expect(await pathsOf('POST', '', { name: 'h', kind: 'http_header', data: { headerName: 'not a header', headerValue: 'v' } })).toEqual(['body.data.headerName']);
  expect(await pathsOf('POST', '', { name: 'p', kind: 'postgres', data: { connectionString: 'mysql://x' } })).toEqual(['body.data.connectionString']);
  expect(await pathsOf('POST', '', { name: 'x', kind: 'carrier_pigeon', data: {} })).toEqual(['body.kind']);
  expect(await pathsOf('POST', '', { name: ' ', kind: 'http_bearer', data: { token: 't' } })).toEqual(['body.name']);
  expect(await pathsOf('POST', '', { name: 't', kind: 'http_bearer', data: { token: 't', extra: 1 } })).toEqual(['body.data']);

  const header = await call('POST', '', { ...as, body: { name: 'h', kind: 'http_header', data: { headerName: 'X-Api-Key', headerValue: 'v' } } });
  expect(await pathsOf('PATCH', `/${header.body.id}`, { data: { headerName: 'bad name' } })).toEqual(['body.data.headerName']);
  expect(await pathsOf('PATCH', `/${header.body.id}`, { kind: 'http_bearer' })).toEqual(['body']);
  expect(await pathsOf('GET', '/not-a-uuid', undefined)).toEqual(['params.credentialId']);
});

test('viewers get 403 on every credential route; another workspace gets 404', async () => {
  const owner = await api.signUp('owner');
  const created = await call('POST', '', { token: owner.token, body: { name: 'Shared', kind: 'http_bearer', data: { token: newSecret('shared') } } });
  const asViewer = await addMember(owner, 'viewer');
  const asEditor = await addMember(owner, 'editor');
  const id = created.body.id;

  const routes: [string, string, unknown?][] = [
    ['GET', '/kinds'],
    ['GET', ''],
    ['POST', '', { name: 'Mine', kind: 'http_bearer', data: { token: 't' } }],
    ['GET', `/${id}`],
    ['PATCH', `/${id}`, { name: 'Renamed' }],
    ['DELETE', `/${id}`],
  ];
  for (const [method, path, body] of routes) {
    const answer = await call(method, path, { ...asViewer, body });
    expect({ method, path, status: answer.status }).toEqual({ method, path, status: 403 });
  }
  expect((await call('GET', `/${id}`, asEditor)).body).toMatchObject({ id, name: 'Shared' });

  const stranger = await api.signUp('stranger');
  const asStranger = { token: stranger.token };
  for (const [method, body] of [['GET'], ['PATCH', { name: 'Taken' }], ['DELETE']] as const) {
    expect((await call(method, `/${id}`, { ...asStranger, body })).status).toBe(404);
  }
  expect((await call('GET', '', asStranger)).body).toEqual([]);
  expect((await call('POST', '', { ...asStranger, body: { name: 'Shared', kind: 'http_bearer', data: { token: 't' } } })).status).toBe(201);
  expect((await call('GET', `/${id}`, { token: owner.token })).body.name).toBe('Shared');
});

/**
 * The whole event history as text with every payload's data decoded: serialised as is, payloads are base64, where
 * a secret would never match a plain search.
 */
async function historyText(handle: RunHandle): Promise<string> {
  const history = await handle.fetchHistory();
  return JSON.stringify(history, (_key, value: unknown) => (isEncodedPayload(value) ? { ...value, data: Buffer.from(value.data, 'base64').toString('utf8') } : value));
}

function isEncodedPayload(value: unknown): value is { metadata: unknown; data: string } {
  return typeof value === 'object' && value !== null && 'metadata' in value && 'data' in value && typeof value.data === 'string';
}

test('HTTP Request nodes authenticate with stored credentials; no secret reaches the run history or the logs', async () => {
  const owner = await api.signUp('runner');
  const as = { token: owner.token };
  const token = newSecret('bearer');
  const password = newSecret('basic');
  const headerValue = newSecret('header');
  const create = async (name: string, kind: string, data: Record<string, string>) => (await call('POST', '', { ...as, body: { name, kind, data } })).body.id as string;
  const bearerId = await create('Bearer', 'http_bearer', { token });
  const basicId = await create('Basic', 'http_basic', { username: 'ada', password });
  const headerId = await create('Header', 'http_header', { headerName: 'X-Api-Key', headerValue });
  // The username changes and the password, left out, must still be the stored one.
  expect((await call('PATCH', `/${basicId}`, { ...as, body: { data: { username: 'grace' } } })).status).toBe(200);

  const expected: Record<string, [string, string]> = {
    '/bearer': ['authorization', `Bearer ${token}`],
    '/basic': ['authorization', `Basic ${Buffer.from(`grace:${password}`).toString('base64')}`],
    '/header': ['x-api-key', headerValue],
  };
  for (const [path, [header, value]] of Object.entries(expected)) {
    http.route(path, (request, response) => sendJson(response, request.headers[header] === value ? 200 : 401, { path }));
  }
  const graph: GraphInput = {
    nodes: [
      graphNode('start', 'start'),
      graphNode('bearer', 'http-request', { url: `${http.url}/bearer`, credentialId: bearerId }),
      graphNode('basic', 'http-request', { url: `${http.url}/basic`, credentialId: basicId }),
      graphNode('header', 'http-request', { url: `${http.url}/header`, credentialId: headerId }),
      graphNode('end', 'end', { value: ['{{ nodes.bearer.output.status }}', '{{ nodes.basic.output.status }}', '{{ nodes.header.output.status }}'] }),
    ],
    edges: [graphEdge('start', 'bearer'), graphEdge('bearer', 'basic'), graphEdge('basic', 'header'), graphEdge('header', 'end')],
  };
  const meta = { trigger: 'test', workspaceId: owner.workspaceId } as const;
  const succeeded = await startRun(api.temporal.client, { graph, meta, taskQueue: api.temporal.taskQueue });
  expect((await succeeded.result()).output).toEqual([200, 200, 200]);
  expect(['/bearer', '/basic', '/header'].map((path) => http.hits(path))).toEqual([1, 1, 1]);

  const stranger = await api.signUp('elsewhere');
  const foreignId = (await call('POST', '', { token: stranger.token, body: { name: 'Foreign', kind: 'http_bearer', data: { token: newSecret('foreign') } } })).body.id;
  const foreignGraph: GraphInput = {
    nodes: [
      graphNode('start', 'start'),
      graphNode('bearer', 'http-request', { url: `${http.url}/bearer`, credentialId: foreignId }, { retry: { maximumAttempts: 3, initialInterval: '100ms' } }),
      graphNode('end', 'end'),
    ],
    edges: [graphEdge('start', 'bearer'), graphEdge('bearer', 'end')],
  };
  const failed = await startRun(api.temporal.client, { graph: foreignGraph, meta, taskQueue: api.temporal.taskQueue });
  const error = await failed.result().catch((e: unknown) => e);
  expect(error).toBeInstanceOf(WorkflowFailedError);
  expect((error as WorkflowFailedError).cause?.message).toMatch(`credential ${foreignId} does not exist in this workspace`);
  expect((await failed.query(runStateQuery)).nodes.bearer).toMatchObject({ status: 'failed', attempts: 1, error: { type: 'InvalidCredential' } });
  expect(http.hits('/bearer')).toBe(1);

  const histories = [await historyText(succeeded), await historyText(failed)];
  // The credential ids are in the node configs: seeing them proves the payloads were decoded before searching.
  expect(histories[0]).toContain(bearerId);
  expect(histories[1]).toContain(foreignId);
  for (const secret of [token, password, headerValue]) {
    for (const history of histories) expect(history).not.toContain(secret);
    expectNowhere(secret);
  }
});
