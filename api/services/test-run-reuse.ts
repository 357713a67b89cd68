import type { Graph } from '../../engine/graph';
import type { ExecutionPlan } from '../../engine/plan';
import type { ReusedOutcome } from '../../engine/run-state';
import { recordedOutcome, upstreamOf, type RecordedRun } from './run-reuse';

/** The graph with no node's pinned data: what a published version holds, so pins never reach a production run. */
export function withoutPins(graph: Graph): Graph {
  return { ...graph, nodes: graph.nodes.map(({ pinned: _pinned, ...node }) => node) };
}

export interface TestRunReuse {
  /** Outcomes the test run takes instead of running those nodes: pins, and for a single node its inputs' outcomes. */
  reuse: Record<string, ReusedOutcome>;
  /** Nodes the tested node depends on that have neither a pin nor an outcome in the latest test run. */
  missing: string[];
}

/**
 * What a test run reuses. A whole test run takes every pinned node's output instead of running the node. Testing
 * one `node` runs only that node: each node it depends on gives its pin or else its outcome in `latest` (the
 * workflow's latest test run) or, for the Start node, runs; every other node is skipped. The tested node runs even
 * when it is pinned.
 */
export function testRunReuse(graph: Graph, plan: ExecutionPlan, options: { node?: string; latest?: RecordedRun } = {}): TestRunReuse {
  const pins = new Map(graph.nodes.flatMap((node) => (node.pinned ? [[node.id, { output: node.pinned.output }] as const] : [])));
  const { node: tested, latest } = options;
  if (tested === undefined) return { reuse: Object.fromEntries(pins), missing: [] };
  const needed = upstreamOf(plan, tested);
  const reuse: Record<string, ReusedOutcome> = {};
  const missing: string[] = [];
  for (const { id, kind } of plan.nodes) {
    if (id === tested) continue;
    if (!needed.has(id)) reuse[id] = { output: undefined, skipped: true };
    else {
      const outcome = pins.get(id) ?? (latest && recordedOutcome(latest, id));
      if (outcome) reuse[id] = outcome;
      // The Start node needs nothing but the test's inputs: it runs again rather than be missing.
      else if (kind !== 'start') missing.push(id);
    }
  }
  return { reuse, missing };
}

/** Nodes a test run took the pinned output of: every pinned node but the one a single-node test ran for real. */
export function pinnedNodeIds(graph: Graph, testedNode: string | null): Set<string> {
  return new Set(graph.nodes.filter((node) => node.pinned !== undefined && node.id !== testedNode).map((node) => node.id));
}
