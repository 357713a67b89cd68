import type { ExecutionPlan, PlannedNode } from '../../engine/plan';
import type { NodeState, NodeStatus, RunState } from '../../engine/run-state';

/**
 * Turns polled run states into one line per node transition: a status seen by several polls is printed once.
 * A transition shorter than the poll interval may go unseen (running → succeeded shows only as succeeded).
 */
export function createProgressReporter(plan: ExecutionPlan, runId: string): (state: RunState) => string[] {
  const reported = new Map<string, NodeStatus>();
  return (state) =>
    plan.nodes.flatMap((node) => {
      const current = state.nodes[node.id];
      if (!current || current.status === 'pending' || reported.get(node.id) === current.status) return [];
      reported.set(node.id, current.status);
      return describeNodeState(node, current, runId);
    });
}

type DescribedNode = Pick<PlannedNode, 'id' | 'label' | 'kind'> & { config: Record<string, unknown> };

export function describeNodeState(node: DescribedNode, state: NodeState, runId: string): string[] {
  const name = `${node.label} (${node.id})`;
  switch (state.status) {
    case 'pending':
      return [`  · ${name} pending`];
    case 'running':
      return [`  ▶ ${name} running`];
    case 'waiting':
      return node.kind === 'approval' ? describeWaitingApproval(node, name, runId, state.message) : [`  ⏸ ${name} waiting on a durable timer`];
    case 'succeeded':
      return [`  ✓ ${name} succeeded${outcomeDetails(state)}`];
    case 'skipped':
      return [`  - ${name} skipped: no live edge reaches it`];
    case 'failed':
      return [`  ✗ ${name} failed${outcomeDetails(state)}: ${state.error?.message ?? 'no error message'}`];
    case 'cancelled':
      return [`  ⊘ ${name} cancelled: the run ended while it was running or waiting`];
    case 'not_run':
      return [`  - ${name} not run: the run ended before it`];
  }
}

/** Node ids are path-safe by schema and startRun names runs `run-<uuid>`, so the commands paste as printed. */
function describeWaitingApproval(node: DescribedNode, name: string, runId: string, message: string | undefined): string[] {
  const { timeout } = node.config;
  const deadline = typeof timeout === 'number' ? formatDuration(timeout) : timeout;
  return [
    `  ⏸ ${name} is waiting for a decision${typeof deadline === 'string' ? ` (times out after ${deadline})` : ''}`,
    ...(message ? [`      asks: ${message}`] : []),
    `      approve: npm run kai -- approve ${runId} ${node.id}`,
    `      reject:  npm run kai -- reject ${runId} ${node.id}`,
    `      (either takes --data '<json>' for the next nodes and --comment <text>)`,
  ];
}

function outcomeDetails(state: NodeState): string {
  const parts: string[] = [];
  if (state.attempts > 1) parts.push(` after ${state.attempts} attempts`);
  if (state.startedAt !== undefined && state.endedAt !== undefined) parts.push(` in ${formatDuration(state.endedAt - state.startedAt)}`);
  if (state.branch) parts.push(` → ${state.branch}`);
  return parts.join('');
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}
