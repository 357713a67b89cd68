import { WorkflowFailedError } from '@temporalio/client';
import type { GraphInput } from '../engine/graph';
import type { ForEachOutput } from './for-each';
import { startRun } from '../platform/start-run';
import { createApiHarness, type ApiHarness, type TestAccount } from '../test/api-harness';
import { graphEdge as edge, graphNode as node } from '../test/graph-builders';
import { sendJson, startHttpFixture, type HttpFixture } from '../test/http-fixture';
import { createPublishedWorkflow } from '../test/published-workflow';
import { quietRuntime } from '../test/temporal-harness';
import { runStateQuery } from './messages';

let harness: ApiHarness;
let account: TestAccount;
let http: HttpFixture;
/** Start → Set { item, index, tagged } → End: a called workflow of pure nodes only. */
let tagWorkflowId: string;
/** Start → HTTP Request (fails for every fifth item) → End. */
let flakyWorkflowId: string;

beforeAll(async () => {
  // Items fail on purpose, which the SDK logs at WARN each time.
  quietRuntime('ERROR');
  [harness, http] = await Promise.all([createApiHarness(), startHttpFixture()]);
  account = await harness.signUp('loops');
  http.route('/item', (req, res) => {
    const item = Number(new URL(req.url ?? '', 'http://x').searchParams.get('n'));
    if (item % 5 === 0) sendJson(res, 500, { error: `item ${item} is a multiple of five` });
    else sendJson(res, 200, { square: item * item });
  });
  [tagWorkflowId, flakyWorkflowId] = await Promise.all([
    createPublishedWorkflow(harness.database.orm, account, {
      nodes: [node('start', 'start'), node('tag', 'set', { values: { item: '{{ input.item }}', index: '{{ input.index }}', tagged: 'item {{ input.index }}' } }), node('end', 'end')],
      edges: [edge('start', 'tag'), edge('tag', 'end')],
    }),
    createPublishedWorkflow(harness.database.orm, account, {
      nodes: [
        node('start', 'start'),
        node('fetch', 'http-request', { url: `${http.url}/item`, query: { n: '{{ input.item }}' } }, { retry: { maximumAttempts: 1 } }),
        node('end', 'end', { value: '{{ nodes.fetch.output.body.square }}' }),
      ],
      edges: [edge('start', 'fetch'), edge('fetch', 'end')],
    }),
  ]);
});

afterAll(() => Promise.all([harness?.close(), http?.close()]));

function loopGraph(config: Record<string, unknown>): GraphInput {
  return {
    nodes: [node('start', 'start'), node('loop', 'for-each', { items: '{{ input.list }}', ...config }), node('end', 'end')],
    edges: [edge('start', 'loop'), edge('loop', 'end')],
  };
}

function start(graph: GraphInput, inputs: Record<string, unknown>) {
  return startRun(harness.temporal.client, { graph, inputs, taskQueue: harness.temporal.taskQueue, meta: { trigger: 'api', workspaceId: account.workspaceId } });
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

test('runs the called workflow once per item and collects its End outputs in item order', async () => {
  const list = range(30).map((i) => `x${i}`);
  const handle = await start(loopGraph({ workflowId: tagWorkflowId, concurrency: 4 }), { list });
  const { output } = await handle.result();
  expect(output).toEqual({ results: list.map((item, index) => ({ item, index, tagged: `item ${index}` })), errors: [], succeeded: 30, failed: 0, workflowId: tagWorkflowId, version: 1 });
  const state = await handle.query(runStateQuery);
  expect(state.nodes.loop.forEach).toMatchObject({ items: 30, calls: 30, running: 0, succeeded: 30, failed: 0, chunks: [{ runId: `${handle.workflowId}.loop.1`, firstCall: 0, calls: 30, status: 'completed', ran: 30 }] });
  const chunk = await harness.temporal.client.workflow.getHandle(`${handle.workflowId}.loop.1`).describe();
  expect(chunk.parentExecution?.workflowId).toBe(handle.workflowId);
});

test('items read from an upstream node; batches call the workflow with { items, index }', async () => {
  const batchWorkflowId = await createPublishedWorkflow(harness.database.orm, account, {
    nodes: [node('start', 'start'), node('end', 'end', { value: { first: '{{ input.items[0] }}', index: '{{ input.index }}' } })],
    edges: [edge('start', 'end')],
  });
  const graph: GraphInput = {
    nodes: [node('start', 'start'), node('list', 'set', { values: { xs: '{{ input.list }}' } }), node('loop', 'for-each', { workflowId: batchWorkflowId, batchSize: 10, items: '{{ nodes.list.output.xs }}' }), node('end', 'end')],
    edges: [edge('start', 'list'), edge('list', 'loop'), edge('loop', 'end')],
  };
  const { output } = await (await start(graph, { list: range(25) })).result();
  expect((output as ForEachOutput).results).toEqual([
    { first: 0, index: 0 },
    { first: 10, index: 10 },
    { first: 20, index: 20 },
  ]);
});

test('continueOnItemError collects failed items and goes on; without it the first failed item fails the node', async () => {
  const list = range(12);
  const { output } = await (await start(loopGraph({ workflowId: flakyWorkflowId, concurrency: 3, continueOnItemError: true }), { list })).result();
  const loop = output as ForEachOutput;
  expect(loop.results).toEqual(list.map((n) => (n % 5 === 0 ? null : n * n)));
  expect(loop.errors.map((e) => e.index)).toEqual([0, 5, 10]);
  expect(loop.errors[0].message).toMatch(/node "HTTP Request" \(fetch\) failed: .*500/);
  expect([loop.succeeded, loop.failed]).toEqual([9, 3]);

  const failing = await start(loopGraph({ workflowId: flakyWorkflowId, concurrency: 1 }), { list: [1, 2, 5, 6, 7] });
  await expect(failing.result()).rejects.toThrow(WorkflowFailedError);
  const state = await failing.query(runStateQuery);
  expect(state.nodes.loop).toMatchObject({ status: 'failed', error: { type: 'ForEachItemFailed', message: expect.stringMatching(/^item 2 failed: /) } });
  // One call at a time: the items after the failed one never started.
  expect(state.nodes.loop.forEach).toMatchObject({ succeeded: 2, failed: 1, chunks: [{ status: 'completed', ran: 3 }] });
});

test('a list that is not an array, or a called workflow with an Approval, fails the node with a message saying so', async () => {
  const notAList = await start(loopGraph({ workflowId: tagWorkflowId }), { list: 'abc' });
  await expect(notAList.result()).rejects.toThrow(WorkflowFailedError);
  expect((await notAList.query(runStateQuery)).nodes.loop.error).toMatchObject({ type: 'InvalidNodeConfig', message: 'For Each: items must be a list, got string' });

  const approvalWorkflowId = await createPublishedWorkflow(harness.database.orm, account, {
    nodes: [node('start', 'start'), node('ask', 'approval'), node('end', 'end')],
    edges: [edge('start', 'ask'), edge('ask', 'end', 'approved')],
  });
  const withApproval = await start(loopGraph({ workflowId: approvalWorkflowId }), { list: [1] });
  await expect(withApproval.result()).rejects.toThrow(WorkflowFailedError);
  expect((await withApproval.query(runStateQuery)).nodes.loop.error).toMatchObject({ type: 'WorkflowNotRunnable', message: expect.stringContaining('its node "Approval" (approval) cannot run per item') });
});

test("10,000 items complete in chunk runs whose histories, and the parent's, stay small", async () => {
  const list = range(10_000);
  const handle = await start(loopGraph({ workflowId: tagWorkflowId, concurrency: 10 }), { list });
  const { output } = await handle.result();
  const loop = output as ForEachOutput;
  expect([loop.succeeded, loop.failed, loop.results.length]).toEqual([10_000, 0, 10_000]);
  expect(loop.results[9_999]).toEqual({ item: 9_999, index: 9_999, tagged: 'item 9999' });
  const state = await handle.query(runStateQuery);
  const chunks = state.nodes.loop.forEach?.chunks ?? [];
  expect(chunks).toHaveLength(50);
  const eventCounts = async (workflowId: string) => (await harness.temporal.client.workflow.getHandle(workflowId).fetchHistory()).events?.length ?? 0;
  const parentEvents = await eventCounts(handle.workflowId);
  const chunkEvents = await Promise.all(chunks.map((c) => eventCounts(c.runId)));
  expect(parentEvents).toBeLessThan(1_000);
  expect(Math.max(...chunkEvents)).toBeLessThan(100);
}, 120_000);

test("the run's detail lists each call with its status, error and the chunk run that carried it", async () => {
  const workflowId = await createPublishedWorkflow(harness.database.orm, account, loopGraph({ workflowId: flakyWorkflowId, continueOnItemError: true }));
  const started = await harness.request('POST', `/api/v1/workflows/${workflowId}/runs`, { token: account.token, body: { inputs: { list: range(7) }, wait: 60 } });
  expect(started.status).toBe(200);
  const run = await harness.request('GET', `/api/v1/runs/${started.body.id}`, { token: account.token });
  const loop = run.body.nodes.find((n: { id: string }) => n.id === 'loop');
  const chunkRun = `${started.body.id}.loop.1`;
  expect(loop.forEach).toMatchObject({ items: 7, batchSize: 1, calls: 7, running: 0, succeeded: 5, failed: 2 });
  expect(loop.forEach.listed.map((call: { status: string }) => call.status)).toEqual(['failed', 'succeeded', 'succeeded', 'succeeded', 'succeeded', 'failed', 'succeeded']);
  expect(loop.forEach.listed[5]).toEqual({
    index: 5,
    status: 'failed',
    error: expect.stringContaining('HTTP Request'),
    runId: chunkRun,
    position: 5,
    temporalUi: `http://localhost:8233/namespaces/default/workflows/${encodeURIComponent(chunkRun)}`,
  });
});

test('a workflow that loops over itself stops at the call-depth limit instead of nesting without end', async () => {
  // Each level loops over its `item`: the run's inputs nest lists deeper than the limit, so only the limit stops it.
  const selfLoop = (workflowId: string) => loopGraph({ workflowId, items: '{{ input.item }}' });
  const created = await harness.request('POST', '/api/v1/workflows', { token: account.token, body: { name: 'Loops over itself', graph: selfLoop(tagWorkflowId) } });
  const selfId: string = created.body.id;
  expect((await harness.request('PATCH', `/api/v1/workflows/${selfId}`, { token: account.token, body: { graph: selfLoop(selfId) } })).status).toBe(200);
  expect((await harness.request('POST', `/api/v1/workflows/${selfId}/versions`, { token: account.token })).status).toBe(201);
  const nested = Array.from({ length: 8 }).reduce<unknown>((inner) => [inner], 'core');
  const started = await harness.request('POST', `/api/v1/workflows/${selfId}/runs`, { token: account.token, body: { inputs: { item: nested }, wait: 60 } });
  expect(started.body.status).toBe('failed');
  expect(started.body.error).toContain('would nest workflows 6 deep (at most 5)');
});
