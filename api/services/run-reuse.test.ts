import type { GraphInput } from '../../engine/graph';
import { planRun } from '../../activities/plan-run';
import type { NodeState, RunState } from '../../engine/run-state';
import { downstreamOf, planReuse } from './run-reuse';
import { graphEdge as edge, graphNode as node } from '../../test/graph-builders';


// start → pay → check(condition) ─true→ flaky → end
//                  └──false→ refund (skipped)
// start → audit (a parallel branch that joins nothing)
const graph: GraphInput = {
  nodes: [
    node('start', 'start'),
    node('pay', 'set', { values: { paid: true } }),
    node('check', 'condition', { rules: [{ left: '{{ nodes.pay.output.paid }}', operator: 'equals', right: true }] }),
    node('flaky', 'set', { values: { ok: true } }),
    node('refund', 'set', { values: { refunded: true } }),
    node('audit', 'set', { values: { logged: true } }),
    node('end', 'end'),
  ],
  edges: [edge('start', 'pay'), edge('pay', 'check'), edge('check', 'flaky', 'true'), edge('check', 'refund', 'false'), edge('flaky', 'end'), edge('start', 'audit')],
};
const plan = planRun(graph);

function recorded(nodes: Record<string, Partial<NodeState>>): RunState {
  return { status: 'failed', nodes: Object.fromEntries(plan.nodes.map((n) => [n.id, { status: 'pending', attempts: 0, ...nodes[n.id] } as NodeState])) };
}

test('downstream of a node is the node and everything an edge path leads to from it', () => {
  expect([...downstreamOf(plan, 'check')].sort()).toEqual(['check', 'end', 'flaky', 'refund']);
  expect([...downstreamOf(plan, 'end')]).toEqual(['end']);
});

test('a re-run reuses outputs, branches and skips of the nodes not downstream, and nothing downstream', () => {
  const state = recorded({
    start: { status: 'succeeded' },
    pay: { status: 'succeeded', attempts: 1 },
    check: { status: 'succeeded', branch: 'true' },
    refund: { status: 'skipped' },
    flaky: { status: 'failed', error: { message: 'boom' } },
    audit: { status: 'succeeded' },
  });
  const io = { start: { output: { a: 1 } }, pay: { output: { paid: true } }, check: { output: { paid: true } }, audit: { output: { logged: true } } };
  expect(planReuse(plan, 'flaky', { state, io })).toEqual({
    reuse: {
      start: { output: { a: 1 } },
      pay: { output: { paid: true } },
      check: { output: { paid: true }, branch: 'true' },
      refund: { output: undefined, skipped: true },
      audit: { output: { logged: true } },
    },
    unrecorded: [],
  });
});

test('an unrecorded node the starting node depends on is reported; an unaffected one simply runs again', () => {
  const state = recorded({ start: { status: 'succeeded' }, pay: { status: 'failed', error: { message: '404' } }, audit: { status: 'running' } });
  const { reuse, unrecorded } = planReuse(plan, 'flaky', { state, io: { start: { output: {} } } });
  expect(unrecorded).toEqual([
    { nodeId: 'pay', status: 'failed' },
    { nodeId: 'check', status: 'pending' },
  ]);
  expect(Object.keys(reuse)).toEqual(['start']);
});

test('a node that failed but let the run go on passes its recorded error output on', () => {
  const state = recorded({ start: { status: 'succeeded' }, pay: { status: 'failed', error: { message: 'x' } } });
  const io = { start: { output: {} }, pay: { output: { error: { message: 'x' } } } };
  expect(planReuse(plan, 'check', { state, io }).reuse.pay).toEqual({ output: { error: { message: 'x' } } });
});
