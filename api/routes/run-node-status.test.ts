import type { GraphInput } from '../../engine/graph';
import type { ApiHarness, TestAccount } from '../../test/api-harness';
import { startApiWithHttpFixture } from '../../test/api-with-http-fixture';
import { graphEdge as edge, graphNode as node } from '../../test/graph-builders';
import { sendJson, type HttpFixture } from '../../test/http-fixture';
import { createPublishedWorkflow } from '../../test/published-workflow';
import { waitFor } from '../../test/wait-for';
import { runStateQuery } from '../../workflows/messages';

let api: ApiHarness;
let http: HttpFixture;
let owner: TestAccount;

beforeAll(async () => {
  ({ api, http, owner } = await startApiWithHttpFixture({ ownerName: 'node-status', runsFailOnPurpose: true }));
}, 120_000);
afterAll(async () => {
  await Promise.all([api?.close(), http?.close()]);
});

interface RunBody {
  status: string;
  nodes: { id: string; status: string; endedAt: string | null }[] | null;
}

const awaitingApproval: GraphInput = {
  nodes: [node('start', 'start'), node('approve', 'approval', { message: 'go?' }), node('after', 'set', { values: { done: true } }), node('end', 'end')],
  edges: [edge('start', 'approve'), edge('approve', 'after', 'approved'), edge('after', 'end')],
};

async function start(graph: GraphInput): Promise<string> {
  const started = await api.request('POST', `/api/v1/workflows/${await createPublishedWorkflow(api.services.orm, owner, graph)}/runs`, { token: owner.token, body: {} });
  expect(started.status).toBe(202);
  return started.body.id;
}

async function getRun(id: string): Promise<RunBody> {
  return (await api.request<RunBody>('GET', `/api/v1/runs/${id}`, { token: owner.token })).body;
}

/** The run once it is no longer running, as GET /runs/:id shows it. */
async function ended(id: string): Promise<RunBody> {
  let run = await getRun(id);
  await waitFor(`run ${id} to end`, async () => (run = await getRun(id)).status !== 'running');
  return run;
}

const statuses = (run: RunBody) => Object.fromEntries((run.nodes ?? []).map((n) => [n.id, n.status]));

/** What the workflow itself says of its nodes, before the API settles anything. */
async function journaled(id: string): Promise<Record<string, string>> {
  const state = await api.temporal.client.workflow.getHandle(id).query(runStateQuery);
  return Object.fromEntries(Object.entries(state.nodes).map(([nodeId, node]) => [nodeId, node.status]));
}

async function waitingForApproval(): Promise<string> {
  const id = await start(awaitingApproval);
  await waitFor('the approval to wait', async () => statuses(await getRun(id)).approve === 'waiting');
  return id;
}

test('a failed run: the failing node failed, the one running beside it was cancelled, the rest never ran', async () => {
  let release = () => undefined as void;
  const released = new Promise<void>((resolve) => (release = resolve));
  http.route('/hang', (_req, res) => void released.then(() => sendJson(res, 200, {})));
  http.route('/gone', (_req, res) => sendJson(res, 404, { error: 'gone' }));
  const id = await start({
    nodes: [
      node('start', 'start'),
      node('slow', 'http-request', { url: `${http.url}/hang` }),
      node('fail', 'http-request', { url: `${http.url}/gone` }),
      node('after', 'set', { values: { both: '{{ nodes.slow.output.status }}' } }),
      node('end', 'end'),
    ],
    edges: [edge('start', 'slow'), edge('start', 'fail'), edge('slow', 'after'), edge('fail', 'after'), edge('after', 'end')],
  });
  try {
    const run = await ended(id);
    expect(run.status).toBe('failed');
    expect(statuses(run)).toEqual({ start: 'succeeded', slow: 'cancelled', fail: 'failed', after: 'not_run', end: 'not_run' });
    expect(run.nodes?.find((n) => n.id === 'slow')?.endedAt).not.toBeNull();
    expect(await journaled(id)).toEqual(statuses(run));
  } finally {
    release();
  }
});

test('a cancelled run: the waiting node reads cancelled, the nodes after it not_run', async () => {
  const id = await waitingForApproval();
  expect((await api.request('POST', `/api/v1/runs/${id}/cancel`, { token: owner.token })).status).toBe(202);
  const run = await ended(id);
  expect(run.status).toBe('cancelled');
  expect(statuses(run)).toEqual({ start: 'succeeded', approve: 'cancelled', after: 'not_run', end: 'not_run' });
  expect(await journaled(id)).toEqual(statuses(run));
});

test('a terminated run, which its workflow never hears of, reads the same', async () => {
  const id = await waitingForApproval();
  expect((await api.request('POST', `/api/v1/runs/${id}/terminate`, { token: owner.token, body: { reason: 'stop' } })).status).toBe(200);
  const run = await ended(id);
  expect(run.status).toBe('terminated');
  expect(statuses(run)).toEqual({ start: 'succeeded', approve: 'cancelled', after: 'not_run', end: 'not_run' });
});
