import { isGrpcDeadlineError, type Client } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/common';
import type { Logger } from 'pino';
import type { ExecutionPlan } from '../../engine/plan';
import { forEachItemStatuses } from '../../engine/for-each';
import { settleEndedRun, type ForEachProgress, type NodeIo, type RunState } from '../../engine/run-state';
import { nodeIoQuery, runStateQuery } from '../../workflows/messages';
import { FOR_EACH_CALLS_LISTED, type ForEachProgressDto, type RunNodeDto, type RunStatusName } from '../../contract/runs';
import { NOT_YET_STARTED } from './run-dto';
import type { WorkspaceOutputs } from './run-outputs';

/**
 * How long a query may take. A closed run's queries are answered by a worker replaying its history; with no worker
 * polling the task queue the server would hold the query until the deadline.
 */
export const NODE_QUERY_TIMEOUT_MS = 3_000;

export interface RecordedNodes {
  state: RunState;
  io: Record<string, NodeIo>;
  /** The run has ended: a planned node missing from `state` (a tool of an Agent that never started) did not run. */
  ended?: boolean;
}

/**
 * The run's per-node state and inputs/outputs, or why they cannot be had now. Once the index says the run has ended,
 * nodes it left pending read `not_run` and those it left running or waiting `cancelled`: a run terminated or timed
 * out (or one recorded before the interpreter settled its nodes itself) stopped without saying so.
 */
export async function queryRecordedNodes(
  client: Client,
  run: { id: string; temporalRunId: string; status: RunStatusName; endedAt?: Date | null },
  logger: Logger,
): Promise<RecordedNodes | { unavailable: string }> {
  const handle = client.workflow.getHandle(run.id, run.temporalRunId === NOT_YET_STARTED ? undefined : run.temporalRunId);
  try {
    const [state, io] = await client.withDeadline(Date.now() + NODE_QUERY_TIMEOUT_MS, () => Promise.all([handle.query(runStateQuery), handle.query(nodeIoQuery)]));
    if (run.status === 'running') return { state, io };
    return { state: { ...state, nodes: settleEndedRun(state.nodes, run.endedAt?.getTime()) }, io, ended: true };
  } catch (error) {
    if (isGrpcDeadlineError(error)) {
      return { unavailable: `no worker answered within ${NODE_QUERY_TIMEOUT_MS / 1000} s (the node states of a finished run are rebuilt by a worker replaying its history)` };
    }
    if (error instanceof WorkflowNotFoundError) return { unavailable: 'Temporal has no record of this run' };
    logger.warn({ err: error, runId: run.id }, 'querying the node states of a run failed');
    return { unavailable: `Temporal did not answer: ${describeQueryFailure(error)}` };
  }
}

/** The client's message and the gRPC status under it ("Failed to query Workflow" alone does not say what failed). */
function describeQueryFailure(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return error.cause instanceof Error ? `${error.message} (${error.cause.message})` : error.message;
}

/**
 * One entry per planned node, in plan order; stored outputs are loaded unless `outputs` is left out. `linkRun` gives
 * a For Each chunk run's address in Temporal Web UI.
 */
export async function describeNodes(plan: ExecutionPlan, recorded: RecordedNodes, outputs?: WorkspaceOutputs, linkRun: (workflowId: string) => string | null = () => null): Promise<RunNodeDto[]> {
  // An Agent's tools are not steps of the flow, but they run and fail like nodes: list each after its Agent.
  const nodes = plan.nodes.flatMap((node) => [node, ...(node.kind === 'agent' ? node.tools : [])]);
  return Promise.all(
    nodes.map(async (node): Promise<RunNodeDto> => {
      const state = recorded.state.nodes[node.id] ?? { status: recorded.ended ? 'not_run' : 'pending', attempts: 0 };
      const io = recorded.io[node.id] ?? {};
      const [input, output] = outputs ? await Promise.all([outputs.resolve(io.input), outputs.resolve(io.output)]) : [{ value: io.input, unresolved: null }, { value: io.output, unresolved: null }];
      return {
        id: node.id,
        label: node.label,
        type: node.type,
        status: state.status,
        attempts: state.attempts,
        startedAt: isoOrNull(state.startedAt),
        endedAt: isoOrNull(state.endedAt),
        branch: state.branch ?? null,
        error: state.error ?? null,
        message: state.message ?? null,
        reusedFrom: state.reusedFrom ?? null,
        ...('input' in io ? { input: input.value } : {}),
        ...('output' in io ? { output: output.value } : {}),
        unresolved: input.unresolved ?? output.unresolved,
        ...(state.forEach ? { forEach: describeForEach(state.forEach, recorded.ended ?? false, linkRun) } : {}),
      };
    }),
  );
}

function describeForEach(progress: ForEachProgress, ended: boolean, linkRun: (workflowId: string) => string | null): ForEachProgressDto {
  const { items, batchSize, calls, running, succeeded, failed } = progress;
  const listed = forEachItemStatuses(progress, ended)
    .slice(0, FOR_EACH_CALLS_LISTED)
    .map((call) => ({ ...call, error: call.error ?? null, temporalUi: linkRun(call.runId) }));
  return { items, batchSize, calls, running: ended ? 0 : running, succeeded, failed, listed };
}

function isoOrNull(epochMs: number | undefined): string | null {
  return epochMs === undefined ? null : new Date(epochMs).toISOString();
}
