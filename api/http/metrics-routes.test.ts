import { graphEdge, graphNode } from '../../test/graph-builders';
import { createApiHarness, type ApiHarness, type TestAccount } from '../../test/api-harness';
import { sendJson, startHttpFixture, type HttpFixture } from '../../test/http-fixture';
import { sampleValue } from '../../test/prometheus-text';
import { echoGraph, publishGraph } from '../../test/webhook-fixture';
import { waitFor } from '../../test/wait-for';
import { workerRegistry } from '../../platform/metrics/worker-metrics';

let api: ApiHarness;
let http: HttpFixture;
let owner: TestAccount;

beforeAll(async () => {
  [api, http] = await Promise.all([createApiHarness(), startHttpFixture()]);
  owner = await api.signUp('metrics');
});
afterAll(async () => {
  await Promise.all([api?.close(), http?.close()]);
});

async function scrape(): Promise<string> {
  const response = await fetch(`${api.url}/metrics`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toContain('text/plain');
  return response.text();
}

async function publishedWorkflow(graph: unknown): Promise<string> {
  const created = await api.request('POST', '/api/v1/workflows', { token: owner.token, body: { name: 'metrics', graph } });
  expect(created.status).toBe(201);
  expect((await api.request('POST', `/api/v1/workflows/${created.body.id}/versions`, { token: owner.token })).status).toBe(201);
  return created.body.id as string;
}

test('a run moves the API series (requests by route, runs started and finished) and the worker series (executions, durations, retries)', async () => {
  // The node fails once with a 503, then succeeds: one retry.
  http.route('/flaky', (_request, response, hit) => sendJson(response, hit === 1 ? 503 : 200, { hit }));
  const workflowId = await publishedWorkflow({
    nodes: [graphNode('start', 'start'), graphNode('fetch', 'http-request', { url: `${http.url}/flaky` }, { retry: { maximumAttempts: 3, initialInterval: '100ms' } }), graphNode('end', 'end')],
    edges: [graphEdge('start', 'fetch'), graphEdge('fetch', 'end')],
  });
  const [apiBefore, workerBefore] = await Promise.all([scrape(), workerRegistry.metrics()]);

  const started = await api.request('POST', `/api/v1/workflows/${workflowId}/runs`, { token: owner.token, body: { inputs: {} } });
  expect(started.status).toBe(202);
  await waitFor('the run to succeed', async () => (await api.request('GET', `/api/v1/runs/${started.body.id}`, { token: owner.token })).body.status === 'succeeded');
  const [apiAfter, workerAfter] = await Promise.all([scrape(), workerRegistry.metrics()]);

  const apiDelta = (name: string, labels: Record<string, string>) => sampleValue(apiAfter, name, labels) - sampleValue(apiBefore, name, labels);
  const workerDelta = (name: string, labels: Record<string, string>) => sampleValue(workerAfter, name, labels) - sampleValue(workerBefore, name, labels);
  expect({
    runRequests: apiDelta('kai_http_request_duration_seconds_count', { method: 'POST', route: '/api/v1/workflows/:workflowId/runs', status: '202' }),
    started: apiDelta('kai_runs_started_total', { trigger: 'api' }),
    finished: apiDelta('kai_runs_finished_total', { trigger: 'api', status: 'succeeded' }),
    failedAttempts: workerDelta('kai_node_executions_total', { type: 'http-request', status: 'failed' }),
    succeededAttempts: workerDelta('kai_node_executions_total', { type: 'http-request', status: 'succeeded' }),
    timedAttempts: workerDelta('kai_node_duration_seconds_count', { type: 'http-request', status: 'succeeded' }),
    retries: workerDelta('kai_node_retries_total', { type: 'http-request' }),
  }).toEqual({ runRequests: 1, started: 1, finished: 1, failedAttempts: 1, succeededAttempts: 1, timedAttempts: 1, retries: 1 });
  // Route patterns, never raw paths: no series names a run id.
  expect(apiAfter).not.toContain(started.body.id);
});

test('open event streams are counted while they are open', async () => {
  const workflowId = await publishedWorkflow({
    nodes: [graphNode('start', 'start'), graphNode('review', 'approval', { message: 'ok?' }), graphNode('end', 'end')],
    edges: [graphEdge('start', 'review'), graphEdge('review', 'end', 'approved')],
  });
  const started = await api.request('POST', `/api/v1/workflows/${workflowId}/runs`, { token: owner.token, body: { inputs: {} } });
  const before = sampleValue(await scrape(), 'kai_sse_clients');
  const stream = new AbortController();
  const response = await fetch(`${api.url}/api/v1/runs/${started.body.id}/events`, { headers: { authorization: `Bearer ${owner.token}` }, signal: stream.signal });
  expect(response.status).toBe(200);
  expect(sampleValue(await scrape(), 'kai_sse_clients')).toBe(before + 1);
  stream.abort();
  await waitFor('the stream to be uncounted', async () => sampleValue(await scrape(), 'kai_sse_clients') === before);
  await api.request('POST', `/api/v1/runs/${started.body.id}/terminate`, { token: owner.token, body: {} });
});

test('webhook deliveries are counted by status', async () => {
  const { hooks } = await publishGraph(api.services, owner, echoGraph());
  const before = await scrape();
  const answer = await fetch(`${api.url}/api/webhooks/${hooks.hook.id}`, { method: 'POST', headers: { authorization: `Bearer ${hooks.hook.secret}`, 'content-type': 'application/json' }, body: '{}' });
  expect(answer.status).toBe(202);
  await waitFor('the delivery to be counted', async () => sampleValue(await scrape(), 'kai_webhook_deliveries_total', { status: '202' }) === sampleValue(before, 'kai_webhook_deliveries_total', { status: '202' }) + 1);
});
