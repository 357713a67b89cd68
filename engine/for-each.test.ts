import { planRun, validateGraph } from '../activities/plan-run';
import { graphEdge as edge, graphNode as node } from '../test/graph-builders';
import { CALLS_PER_CHUNK_MAX, callsPerChunk, forEachItemStatuses, planCalls } from './for-each';
import type { ForEachProgress } from './run-state';

const WORKFLOW = '00000000-0000-4000-8000-000000000000';

function loopGraph(config: Record<string, unknown>) {
  return { nodes: [node('start', 'start'), node('loop', 'for-each', config), node('end', 'end')], edges: [edge('start', 'loop'), edge('loop', 'end')] };
}

test('saving checks the For Each settings, naming each field', () => {
  expect(validateGraph(loopGraph({ workflowId: 'not-a-uuid', concurrency: 0, batchSize: 2.5, continueOnItemError: 'yes' }))).toEqual([
    expect.objectContaining({ path: 'nodes.loop.data.config.workflowId', nodeId: 'loop' }),
    expect.objectContaining({ path: 'nodes.loop.data.config.concurrency', message: expect.stringContaining('>=1') }),
    expect.objectContaining({ path: 'nodes.loop.data.config.batchSize' }),
    expect.objectContaining({ path: 'nodes.loop.data.config.continueOnItemError' }),
  ]);
  expect(validateGraph(loopGraph({ workflowId: WORKFLOW, concurrency: 101 }))).toEqual([expect.objectContaining({ path: 'nodes.loop.data.config.concurrency', message: expect.stringContaining('<=100') })]);
  expect(validateGraph(loopGraph({ workflowId: WORKFLOW, items: '{{ input.rows }}' }))).toEqual([]);
});

test('the plan fills in the defaults and the activity that plans the called workflow', () => {
  const loop = planRun(loopGraph({ workflowId: WORKFLOW })).nodes[1];
  expect(loop).toMatchObject({ kind: 'for-each', config: { workflowId: WORKFLOW, concurrency: 10, batchSize: 1, continueOnItemError: false }, activity: { activityType: 'plan-for-each@1' } });
});

test('a chunk takes fewer calls the more activities a call schedules', () => {
  const pure = planRun({ nodes: [node('start', 'start'), node('set', 'set', { values: {} }), node('end', 'end')], edges: [edge('start', 'set'), edge('set', 'end')] });
  const io = planRun({
    nodes: [node('start', 'start'), node('a', 'http-request', { url: 'https://example.com' }), node('b', 'http-request', { url: 'https://example.com' }), node('end', 'end')],
    edges: [edge('start', 'a'), edge('a', 'b'), edge('b', 'end')],
  });
  expect(callsPerChunk(pure)).toBe(CALLS_PER_CHUNK_MAX);
  expect(callsPerChunk(io)).toBe(CALLS_PER_CHUNK_MAX);
  const wide = planRun({
    nodes: [node('start', 'start'), ...Array.from({ length: 20 }, (_, i) => node(`h${i}`, 'http-request', { url: 'https://example.com' })), node('end', 'end')],
    edges: Array.from({ length: 20 }, (_, i) => [edge('start', `h${i}`), edge(`h${i}`, 'end')]).flat(),
  });
  expect(callsPerChunk(wide)).toBe(50);
});

test('calls carry one item with its index, or a batch with the index of its first item', () => {
  expect(planCalls(['a', 'b'], 1)).toEqual([
    { index: 0, inputs: { item: 'a', index: 0 } },
    { index: 1, inputs: { item: 'b', index: 1 } },
  ]);
  expect(planCalls([1, 2, 3, 4, 5], 2)).toEqual([
    { index: 0, inputs: { items: [1, 2], index: 0 } },
    { index: 2, inputs: { items: [3, 4], index: 2 } },
    { index: 4, inputs: { items: [5], index: 4 } },
  ]);
});

test("each item's status follows its chunk run, its error and whether the loop stopped before it", () => {
  const progress: ForEachProgress = {
    items: 6,
    batchSize: 1,
    calls: 6,
    running: 2,
    succeeded: 1,
    failed: 1,
    errors: [{ index: 1, message: 'boom' }],
    chunks: [
      { runId: 'r.loop.1', firstCall: 0, calls: 3, status: 'completed', ran: 2 },
      { runId: 'r.loop.2', firstCall: 3, calls: 2, status: 'running' },
      { runId: 'r.loop.3', firstCall: 5, calls: 1, status: 'pending' },
    ],
  };
  expect(forEachItemStatuses(progress, false).map(({ index, status, runId, position }) => [index, status, runId, position])).toEqual([
    [0, 'succeeded', 'r.loop.1', 0],
    [1, 'failed', 'r.loop.1', 1],
    [2, 'not_run', 'r.loop.1', 2],
    [3, 'running', 'r.loop.2', 0],
    [4, 'running', 'r.loop.2', 1],
    [5, 'pending', 'r.loop.3', 0],
  ]);
  expect(forEachItemStatuses(progress, true).slice(3).map((item) => item.status)).toEqual(['not_run', 'not_run', 'not_run']);
  expect(forEachItemStatuses(progress, false)[1].error).toBe('boom');
});
