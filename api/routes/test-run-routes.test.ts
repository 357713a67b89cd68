import type { GraphInput } from '../../engine/graph';
import type { ApiHarness, TestAccount } from '../../test/api-harness';
import { startApiWithHttpFixture } from '../../test/api-with-http-fixture';
import { sendJson, type HttpFixture } from '../../test/http-fixture';
import { graphEdge as edge, graphNode as node } from '../../test/graph-builders';
import { pruneTestRuns } from '../services/test-run-retention';

let api: ApiHarness;
let http: HttpFixture;
let owner: TestAccount;

beforeAll(async () => {
  ({ api, http, owner } = await startApiWithHttpFixture({ ownerName: 'tester' }));
  http.route('/price', (_req, res, hit) => sendJson(res, 200, { price: 10, hit }));
}, 120_000);
afterAll(async () => {
  await Promise.all([api?.close(), http?.close()]);
});

const as = (body?: unknown) => ({ token: owner.token, body });

/** Start → fetch (HTTP GET of the fixture's /price) → double (a Set of the fetched price times two) → End. */
function pricing(pinned?: unknown): GraphInput {
  const fetch = node('fetch', 'http-request', { url: `${http.url}/price` });
  return {
    nodes: [
      node('start', 'start'),
      pinned === undefined ? fetch : { ...fetch, pinned: { output: pinned } },
      node('double', 'set', { values: { price: '{{ nodes.fetch.output.body.price }}', label: 'price of {{ input.item }}' } }),
      node('end', 'end'),
    ],
    edges: [edge('start', 'fetch'), edge('fetch', 'double'), edge('double', 'end')],
  };
}

async function createDraft(graph: GraphInput): Promise<string> {
  const created = await api.request('POST', '/api/v1/workflows', as({ name: `draft ${Math.random()}`, graph }));
  expect(created.status).toBe(201);
  return created.body.id;
}

const testRun = (workflowId: string, body: Record<string, unknown>) => api.request('POST', `/api/v1/workflows/${workflowId}/test-runs`, as({ wait: 30, ...body }));
/**
 * GETs the run until `done` holds for it and its node states could be read (a busy worker may not replay a closed
 * run within one query's deadline).
 */
async function until(runId: string, done: (run: { status: string }) => boolean) {
  for (const giveUp = Date.now() + 20_000; ; await new Promise((resolve) => setTimeout(resolve, 200))) {
    const run = await api.request('GET', `/api/v1/runs/${runId}`, as());
    if (done(run.body) && run.body.nodes !== null) return run.body;
    if (Date.now() > giveUp) throw new Error(`run ${runId} never got there: ${run.text}`);
  }
}
const nodeOf = (run: { nodes: { id: string }[] }, id: string) => run.nodes.find((n) => n.id === id);

test('a test run runs a graph the draft never saved, has no version and is listed only with kind=test', async () => {
  const workflowId = await createDraft({ nodes: [node('start', 'start')], edges: [] });
  const hitsBefore = http.hits('/price');
  const run = await testRun(workflowId, { graph: pricing(), inputs: { item: 'tea' } });
  expect(run.status).toBe(200);
  expect(run.body).toMatchObject({ status: 'succeeded', trigger: 'test', version: null, result: { output: { price: 10, label: 'price of tea' } }, node: null });
  expect(run.body.graph.nodes.map((n: { id: string }) => n.id)).toEqual(['start', 'fetch', 'double', 'end']);
  expect(http.hits('/price')).toBe(hitsBefore + 1);

  const production = await api.request('GET', `/api/v1/runs?workflowId=${workflowId}`, as());
  expect(production.body.items).toEqual([]);
  const tests = await api.request('GET', `/api/v1/runs?workflowId=${workflowId}&kind=test`, as());
  expect(tests.body.items.map((item: { id: string; version: number | null }) => [item.id, item.version])).toEqual([[run.body.id, null]]);
  expect((await api.request('GET', `/api/v1/workflows/${workflowId}/versions`, as())).body).toEqual([]);
  expect((await api.request('GET', `/api/v1/workflows/${workflowId}`, as())).body).toMatchObject({ lastRun: null, graph: { nodes: [{ id: 'start' }] } });

  const invalid = await testRun(workflowId, { graph: { nodes: [node('start', 'start'), node('fetch', 'http-request', {})], edges: [] } });
  expect(invalid.status).toBe(400);
  expect(invalid.body.error).toMatchObject({ code: 'invalid_graph', details: expect.arrayContaining([expect.objectContaining({ path: 'body.graph.nodes.fetch.data.config.url', nodeId: 'fetch' })]) });
});

test('a pinned node is not run in test runs; publishing drops the pin, so the published run calls it for real', async () => {
  const workflowId = await createDraft(pricing({ status: 200, headers: {}, body: { price: 21 } }));
  const hitsBefore = http.hits('/price');
  const run = await testRun(workflowId, { inputs: { item: 'pins' } });
  expect(run.body).toMatchObject({ status: 'succeeded', trigger: 'test', result: { output: { price: 21 } } });
  expect(nodeOf(run.body, 'fetch')).toMatchObject({ status: 'succeeded', pinned: true, output: { body: { price: 21 } } });
  expect(nodeOf(run.body, 'double')).not.toHaveProperty('pinned');
  expect(http.hits('/price')).toBe(hitsBefore);

  const rerun = await api.request('POST', `/api/v1/runs/${run.body.id}/rerun`, as({ fromNode: 'double', inputs: { item: 'again' } }));
  expect(rerun.status).toBe(202);
  const rerunDone = await until(rerun.body.id, (r) => r.status === 'succeeded');
  expect(rerunDone).toMatchObject({ trigger: 'test', version: null, rerunOf: run.body.id, result: { output: { price: 21, label: 'price of again' } } });
  expect(nodeOf(rerunDone, 'fetch')).toMatchObject({ pinned: true });
  expect(http.hits('/price')).toBe(hitsBefore);

  const published = await api.request('POST', `/api/v1/workflows/${workflowId}/versions`, as());
  expect(published.status).toBe(201);
  expect(published.body.graph.nodes.find((n: { id: string }) => n.id === 'fetch')).not.toHaveProperty('pinned');
  const production = await api.request('POST', `/api/v1/workflows/${workflowId}/runs`, as({ inputs: { item: 'real' }, wait: 30 }));
  expect(production.body).toMatchObject({ status: 'succeeded', trigger: 'api', version: 1, result: { output: { price: 10 } } });
  expect(http.hits('/price')).toBe(hitsBefore + 1);
  expect((await api.request('GET', '/api/v1/workflows/' + workflowId, as())).body.graph.nodes[1].pinned).toEqual({ output: { status: 200, headers: {}, body: { price: 21 } } });
});

test('testing one node runs only it, on the outputs of the latest test run or of pins, and names what is missing', async () => {
  const workflowId = await createDraft(pricing());
  const missing = await testRun(workflowId, { node: 'double' });
  expect(missing.status).toBe(409);
  expect(missing.body.error.message).toMatch(/needs an output of "fetch": pin one/);
  const unknown = await testRun(workflowId, { node: 'nowhere' });
  expect(unknown.status).toBe(400);
  expect(unknown.body.error.details).toEqual([{ path: 'body.node', message: expect.stringContaining('nowhere') }]);

  const whole = await testRun(workflowId, { inputs: { item: 'cake' } });
  expect(whole.body.status).toBe('succeeded');
  const hitsBefore = http.hits('/price');
  const single = await testRun(workflowId, { node: 'double' });
  expect(single.status).toBe(200);
  expect(single.body.node).toMatchObject({ id: 'double', status: 'succeeded', output: { price: 10, label: 'price of cake' } });
  expect(nodeOf(single.body, 'fetch')).toMatchObject({ status: 'succeeded', reusedFrom: whole.body.id });
  expect(nodeOf(single.body, 'end')).toMatchObject({ status: 'skipped' });
  expect(http.hits('/price')).toBe(hitsBefore);

  const fresh = await createDraft(pricing());
  const onPin = await testRun(fresh, { node: 'double', graph: pricing({ body: { price: 3 } }), inputs: { item: 'pie' } });
  expect(onPin.body.node).toMatchObject({ status: 'succeeded', output: { price: 3, label: 'price of pie' } });
  expect(nodeOf(onPin.body, 'fetch')).toMatchObject({ status: 'succeeded', pinned: true });
  expect(http.hits('/price')).toBe(hitsBefore);
  const pinnedButTested = await testRun(fresh, { node: 'fetch', graph: pricing({ body: { price: 3 } }) });
  expect(pinnedButTested.body.node).toMatchObject({ status: 'succeeded', output: { body: { price: 10 } } });
  expect(pinnedButTested.body.node).not.toHaveProperty('pinned');
  expect(http.hits('/price')).toBe(hitsBefore + 1);
});

test('test runs are deleted once past their retention; production runs stay', async () => {
  const workflowId = await createDraft(pricing({ body: { price: 1 } }));
  const tested = await testRun(workflowId, {});
  expect((await api.request('POST', `/api/v1/workflows/${workflowId}/versions`, as())).status).toBe(201);
  const production = await api.request('POST', `/api/v1/workflows/${workflowId}/runs`, as({ wait: 30 }));
  expect(production.body.status).toBe('succeeded');

  const em = api.services.orm.em.fork();
  const hourMs = 3_600_000;
  expect(await pruneTestRuns(em, hourMs, new Date(Date.now() + hourMs / 2))).toBe(0);
  expect(await pruneTestRuns(em, hourMs, new Date(Date.now() + 2 * hourMs))).toBeGreaterThanOrEqual(1);
  expect((await api.request('GET', `/api/v1/runs/${tested.body.id}`, as())).status).toBe(404);
  expect((await api.request('GET', `/api/v1/runs/${production.body.id}`, as())).status).toBe(200);
});
