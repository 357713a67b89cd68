import { graphSchema, type GraphInput } from '../../engine/graph';
import { planRun } from '../../activities/plan-run';
import type { NodeState, RunState } from '../../engine/run-state';
import { graphEdge as edge, graphNode as node } from '../../test/graph-builders';
import { pinnedNodeIds, testRunReuse, withoutPins } from './test-run-reuse';

// start → fetch → shape → end, and start → audit (a branch the shape does not need)
const drawn: GraphInput = {
  nodes: [
    node('start', 'start'),
    { ...node('fetch', 'set', { values: { price: 1 } }), pinned: { output: { price: 5 } } },
    node('shape', 'set', { values: { doubled: '{{ nodes.fetch.output.price }}' } }),
    node('audit', 'set', { values: { logged: true } }),
    node('end', 'end'),
  ],
  edges: [edge('start', 'fetch'), edge('fetch', 'shape'), edge('shape', 'end'), edge('start', 'audit')],
};
const graph = graphSchema.parse(drawn);
const plan = planRun(graph);
const unpinned = graphSchema.parse({ ...drawn, nodes: drawn.nodes.map(({ pinned: _pinned, ...rest }) => rest) });

function latest(nodes: Record<string, Partial<NodeState>>, io: Record<string, unknown>) {
  const state: RunState = { status: 'succeeded', nodes: Object.fromEntries(Object.entries(nodes).map(([id, n]) => [id, { status: 'succeeded', attempts: 1, ...n } as NodeState])) };
  return { state, io: Object.fromEntries(Object.entries(io).map(([id, output]) => [id, { output }])) };
}

test('a whole test run reuses exactly the pinned outputs', () => {
  expect(testRunReuse(graph, plan)).toEqual({ reuse: { fetch: { output: { price: 5 } } }, missing: [] });
  expect(testRunReuse(unpinned, plan)).toEqual({ reuse: {}, missing: [] });
});

test('testing one node takes pins first, then the latest test run (Start runs again without one), and skips every other node', () => {
  const earlier = latest({ start: {}, fetch: {}, audit: {} }, { start: { a: 1 }, fetch: { price: 9 }, audit: { logged: true } });
  expect(testRunReuse(graph, plan, { node: 'shape', latest: earlier })).toEqual({
    reuse: { start: { output: { a: 1 } }, fetch: { output: { price: 5 } }, audit: { output: undefined, skipped: true }, end: { output: undefined, skipped: true } },
    missing: [],
  });
  expect(testRunReuse(graph, plan, { node: 'shape' })).toEqual({
    reuse: { fetch: { output: { price: 5 } }, audit: { output: undefined, skipped: true }, end: { output: undefined, skipped: true } },
    missing: [],
  });
  expect(testRunReuse(unpinned, plan, { node: 'shape', latest: earlier }).reuse.fetch).toEqual({ output: { price: 9 } });
  expect(testRunReuse(unpinned, plan, { node: 'shape' }).missing).toEqual(['fetch']);
  expect(testRunReuse(unpinned, plan, { node: 'shape', latest: latest({ fetch: { status: 'failed' } }, {}) }).missing).toEqual(['fetch']);
  expect(testRunReuse(graph, plan, { node: 'fetch' }).reuse).not.toHaveProperty('fetch');
});

test('publishing drops pins; the pinned nodes of a run are all but the one a single-node test ran', () => {
  expect(withoutPins(graph).nodes.some((n) => 'pinned' in n)).toBe(false);
  expect(withoutPins(graph).nodes.map((n) => n.id)).toEqual(graph.nodes.map((n) => n.id));
  expect([...pinnedNodeIds(graph, null)]).toEqual(['fetch']);
  expect([...pinnedNodeIds(graph, 'fetch')]).toEqual([]);
});

test('a pin must hold an output, which may be null', () => {
  expect(graphSchema.safeParse({ nodes: [{ ...node('a', 'set'), pinned: {} }] }).success).toBe(false);
  expect(graphSchema.safeParse({ nodes: [{ ...node('a', 'set'), pinned: { output: null } }] }).success).toBe(true);
  expect(graphSchema.safeParse({ nodes: [{ ...node('a', 'set'), pinned: { output: 1, extra: 2 } }] }).success).toBe(false);
});
