import type { ExecutionPlan } from '../../engine/plan';
import type { NodeIo, ReusedOutcome, RunState } from '../../engine/run-state';

export interface RecordedRun {
  state: RunState;
  io: Record<string, NodeIo>;
}

export interface ReusePlan {
  /** Outcomes the re-run takes from the earlier run instead of running those nodes again. */
  reuse: Record<string, ReusedOutcome>;
  /** Nodes `fromNode` depends on whose outcome the earlier run never recorded, with the status they ended in. */
  unrecorded: { nodeId: string; status: string }[];
}

/** `fromNode` and every node an edge path leads to from it: what a re-run from `fromNode` runs again. */
export function downstreamOf(plan: ExecutionPlan, fromNode: string): Set<string> {
  return reachable(fromNode, plan, (edge) => [edge.source, edge.target]);
}

/** Every node with an edge path to `nodeId`. */
export function upstreamOf(plan: ExecutionPlan, nodeId: string): Set<string> {
  const found = reachable(nodeId, plan, (edge) => [edge.target, edge.source]);
  found.delete(nodeId);
  return found;
}

function reachable(origin: string, plan: ExecutionPlan, direction: (edge: ExecutionPlan['edges'][number]) => [from: string, to: string]): Set<string> {
  const found = new Set([origin]);
  const queue = [origin];
  for (let current = queue.shift(); current !== undefined; current = queue.shift()) {
    for (const edge of plan.edges) {
      const [from, to] = direction(edge);
      if (from === current && !found.has(to)) {
        found.add(to);
        queue.push(to);
      }
    }
  }
  return found;
}

/**
 * Which recorded outcomes a re-run from `fromNode` reuses: those of every node not downstream of it. A node that
 * succeeded gives its output and branch, a skipped node stays skipped, and a node that failed but let the run go on
 * (continue on error) gives the error it passed on. A node `fromNode` depends on must have one of these outcomes;
 * other unaffected nodes the earlier run never finished (a parallel branch cut short by a failure) simply run again.
 */
export function planReuse(plan: ExecutionPlan, fromNode: string, earlier: RecordedRun): ReusePlan {
  const rerun = downstreamOf(plan, fromNode);
  const needed = upstreamOf(plan, fromNode);
  const reuse: Record<string, ReusedOutcome> = {};
  const unrecorded: ReusePlan['unrecorded'] = [];
  for (const node of plan.nodes) {
    if (rerun.has(node.id)) continue;
    const outcome = recordedOutcome(earlier, node.id);
    if (outcome) reuse[node.id] = outcome;
    else if (needed.has(node.id)) unrecorded.push({ nodeId: node.id, status: earlier.state.nodes[node.id]?.status ?? 'unknown' });
  }
  return { reuse, unrecorded };
}

export function recordedOutcome({ state, io }: RecordedRun, nodeId: string): ReusedOutcome | undefined {
  const node = state.nodes[nodeId];
  const recorded = io[nodeId];
  if (node?.status === 'skipped') return { output: undefined, skipped: true };
  if (node?.status === 'succeeded') return node.branch === undefined ? { output: recorded?.output } : { output: recorded?.output, branch: node.branch };
  if (node?.status === 'failed' && recorded && 'output' in recorded) return { output: recorded.output };
  return undefined;
}
