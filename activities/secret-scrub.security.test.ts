import { randomBytes } from 'node:crypto';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { createApiHarness, type ApiHarness, type TestAccount } from '../test/api-harness';
import { graphEdge as edge, graphNode as node } from '../test/graph-builders';
import { startOpenAiCompatibleServer, type OpenAiCompatibleServer } from '../test/openai-compatible-server';
import { createPublishedWorkflow } from '../test/published-workflow';
import { captureRuntimeLogs } from '../test/temporal-harness';
import { REDACTED, scrubText, secretTextsOf } from './scrub-secrets';

// Not shaped like any well-known key, so only scrubbing by the credential's own values can hide it.
const TENANT_KEY = `kai-tenant-${randomBytes(12).toString('hex')}`;

let workerLog: string[];
let api: ApiHarness;
let provider: OpenAiCompatibleServer;
let owner: TestAccount;

beforeAll(async () => {
  workerLog = captureRuntimeLogs();
  [api, provider] = await Promise.all([createApiHarness(), startOpenAiCompatibleServer({ apiKey: 'sk-the-only-accepted-key', echoAuthorizationIn401: true })]);
  owner = await api.signUp('scrub');
}, 120_000);
afterAll(async () => {
  await Promise.all([api?.close(), provider?.close()]);
});

/** Every form the key could be found in: as is, and inside the base64 of a Temporal payload. */
function leaks(text: string): boolean {
  const payloads = [...text.matchAll(/"data":"([A-Za-z0-9+/=]+)"/g)].map((match) => Buffer.from(match[1], 'base64').toString('utf8'));
  return [text, ...payloads].some((part) => part.includes(TENANT_KEY));
}

test('a provider that echoes the Authorization header in its 401 leaks the key into no run error, history or worker log', async () => {
  const credential = await api.request('POST', '/api/v1/credentials', {
    token: owner.token,
    body: { name: 'Self-hosted model', kind: 'openai', data: { apiKey: TENANT_KEY, baseUrl: provider.baseUrl } },
  });
  expect(credential.status).toBe(201);
  const graph = {
    nodes: [node('start', 'start'), node('llm', 'llm-chat', { credentialId: credential.body.id, model: 'm', prompt: 'hello' }), node('end', 'end')],
    edges: [edge('start', 'llm'), edge('llm', 'end')],
  };
  const workflowId = await createPublishedWorkflow(api.services.orm, owner, graph);
  const started = await api.request('POST', `/api/v1/workflows/${workflowId}/runs`, { token: owner.token, body: { wait: 30 } });
  expect(started.body.status).toBe('failed');
  // The provider did echo the key: the scrubbing, not a quiet provider, keeps it out.
  expect(provider.requests.some((request) => request.authorization === `Bearer ${TENANT_KEY}`)).toBe(true);

  const run = await api.request('GET', `/api/v1/runs/${started.body.id}`, { token: owner.token });
  const historyJson = historyToJSON(await api.temporal.client.workflow.getHandle(started.body.id).fetchHistory());
  expect({ run: leaks(run.text), history: leaks(historyJson), workerLog: workerLog.some(leaks), apiLog: api.logs.some(leaks) }).toEqual({
    run: false,
    history: false,
    workerLog: false,
    apiLog: false,
  });
  // What the provider said is kept, bar the key, wherever it went.
  expect(run.body.error).toContain(`Incorrect API key provided: ${REDACTED} (Authorization: Bearer ${REDACTED})`);
  expect(run.body.nodes.find((n: { id: string }) => n.id === 'llm').error.message).toContain('the provider rejected credential "Self-hosted model"');
  expect(historyJson).toContain('Incorrect API key provided');
  expect(workerLog.filter((line) => line.includes('Activity failed')).join('\n')).toContain('Incorrect API key provided');
});

test('the forms a credential secret takes are scrubbed: encoded, in a connection string, as Basic auth', () => {
  const postgres = secretTextsOf({ id: 'c1', kind: 'postgres', data: { connectionString: 'postgres://app:p%40ss-w0rd@db.internal:5432/app' } });
  expect(scrubText('auth failed for p@ss-w0rd and p%40ss-w0rd', postgres)).toBe(`auth failed for ${REDACTED} and ${REDACTED}`);
  const basic = secretTextsOf({ id: 'c2', kind: 'http_basic', data: { username: 'ada', password: 'lovelace-1815' } });
  const header = `Basic ${Buffer.from('ada:lovelace-1815').toString('base64')}`;
  expect(scrubText(`sent ${header}; password lovelace-1815; encoded ${Buffer.from('lovelace-1815').toString('base64')}`, basic)).not.toMatch(
    /lovelace|YWRhOmxvdmVsYWNlLTE4MTU|bG92ZWxhY2UtMTgxNQ/,
  );
  // The public fields stay readable: the API shows them anyway.
  expect(scrubText('user ada at https://api.example.com/v1', basic)).toBe('user ada at https://api.example.com/v1');
});

test.each([
  ['Incorrect API key provided: sk-proj-abcdef1234567890', `Incorrect API key provided: ${REDACTED}`],
  ['header was Authorization: Bearer eyJhbGciOi.J9x-y', `header was Authorization: Bearer ${REDACTED}`],
  ['GET https://maps.example.com/geo?q=x&api_key=AIza0123456789&n=1 failed', `GET https://maps.example.com/geo?q=x&api_key=${REDACTED}&n=1 failed`],
  ['connect postgres://admin:hunter2@10.0.0.5/db refused', `connect postgres://${REDACTED}@10.0.0.5/db refused`],
  ['HTTP Basic authentication failed for the Bearer tokens', 'HTTP Basic authentication failed for the Bearer tokens'],
])('key shapes are scrubbed whatever the credential: %s', (text, expected) => {
  expect(scrubText(text, [])).toBe(expected);
});
