import type { RunDetailDto } from '$contract/runs';
import type { Graph } from './canvas-types';
import { toFlow, toGraph } from './flow-mapping';
import { placeProblems } from './graph-problems';
import { pinFromJson, pinFromRun } from './pins';

type RunNode = NonNullable<RunDetailDto['nodes']>[number];
const runNode = (id: string, fields: Partial<RunNode>): RunNode =>
  ({ id, label: id, type: 'set', status: 'succeeded', attempts: 1, startedAt: null, endedAt: null, branch: null, error: null, message: null, reusedFrom: null, unresolved: null, ...fields }) as RunNode;

test('a pinned node survives the round trip through the canvas; an unpinned one gains no pin field', () => {
  const graph: Graph = {
    nodes: [
      { id: 'start', type: 'start', version: 1, data: { config: {} }, position: { x: 0, y: 0 } },
      { id: 'fetch', type: 'http-request', version: 1, data: { config: { url: 'http://x' } }, position: { x: 5, y: 5 }, pinned: { output: { body: [1, 2] } } },
    ],
    edges: [],
  };
  const flow = toFlow(graph);
  expect(flow.nodes[1].data.pinned).toEqual({ output: { body: [1, 2] } });
  expect(toGraph(flow.nodes, flow.edges)).toEqual(graph);
  expect(toGraph(flow.nodes, flow.edges).nodes[0]).not.toHaveProperty('pinned');
});

test("a pin is taken from a node that succeeded in the test run, or typed as JSON; otherwise it says why not", () => {
  const run = { id: 'run-1', nodes: [runNode('fetch', { output: { price: 3 } }), runNode('shape', { status: 'failed' }), runNode('big', { unresolved: 'store offline' })] };
  expect(pinFromRun(run, 'fetch')).toEqual({ pin: { output: { price: 3 } } });
  expect(pinFromRun(run, 'shape')).toEqual({ reason: expect.stringContaining('failed') });
  expect(pinFromRun(run, 'big')).toEqual({ reason: expect.stringContaining('store offline') });
  expect(pinFromRun(run, 'ghost')).toEqual({ reason: expect.stringContaining('run-1') });
  expect(pinFromJson('{"a": [1]}')).toEqual({ pin: { output: { a: [1] } } });
  expect(pinFromJson('null')).toEqual({ pin: { output: null } });
  expect(pinFromJson('{a}')).toEqual({ reason: expect.stringMatching(/^not JSON/) });
});

test("a saved draft's problems and a refused publish's are placed on their nodes and fields", () => {
  expect(placeProblems([{ path: 'nodes.fetch.data.config.url', message: 'required', nodeId: 'fetch' }])).toEqual([{ message: 'required', nodeId: 'fetch', field: 'config.url' }]);
  expect(placeProblems([{ path: 'draft.nodes.fetch.data.config.url', message: 'required', nodeId: 'fetch' }])).toEqual([{ message: 'required', nodeId: 'fetch', field: 'config.url' }]);
});
