import type { ExecutionPlan, ForEachCall } from './plan';
import type { ForEachProgress, NodeStatus } from './run-state';

export const MAX_FOR_EACH_CONCURRENCY = 100;
export const MAX_FOR_EACH_BATCH = 1000;
/** With at most 200 calls a chunk this makes at most 500 chunk runs: the parent's history stays a few thousand events. */
export const MAX_FOR_EACH_ITEMS = 100_000;

/** Calls one chunk run carries at most; a chunk of pure calls costs its history nothing per call. */
export const CALLS_PER_CHUNK_MAX = 200;
/**
 * Activities (and timers, child runs) one chunk run may schedule: each costs its history about 3 events, plus up to 3
 * for the workflow task its completion wakes, so a chunk stays near 6,000 events, far below Temporal's 50,000.
 */
export const CHUNK_STEP_BUDGET = 1000;

/** How many calls of `plan` one chunk run takes so that its history stays bounded. */
export function callsPerChunk(plan: ExecutionPlan): number {
  const stepsPerCall = plan.nodes.reduce((steps, node) => steps + stepsOf(node), 0);
  return Math.max(1, Math.min(CALLS_PER_CHUNK_MAX, Math.floor(CHUNK_STEP_BUDGET / Math.max(1, stepsPerCall))));
}

function stepsOf(node: ExecutionPlan['nodes'][number]): number {
  switch (node.kind) {
    case 'task':
      return node.pure ? 0 : 1;
    case 'delay':
      return 1;
    // The planning activity and the child run.
    case 'subworkflow':
    case 'for-each':
      return 2;
    default:
      return 0;
  }
}

/** One call per item (`{ item, index }`), or per batch of consecutive items (`{ items, index }`). */
export function planCalls(items: unknown[], batchSize: number): ForEachCall[] {
  if (batchSize === 1) return items.map((item, index) => ({ index, inputs: { item, index } }));
  const calls: ForEachCall[] = [];
  for (let index = 0; index < items.length; index += batchSize) calls.push({ index, inputs: { items: items.slice(index, index + batchSize), index } });
  return calls;
}

/** Consecutive runs of at most `size` calls. */
export function chunk<T>(calls: T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let first = 0; first < calls.length; first += size) chunks.push(calls.slice(first, first + size));
  return chunks;
}

export interface ForEachItemStatus {
  /** The list index of the call's (first) item. */
  index: number;
  status: Extract<NodeStatus, 'pending' | 'running' | 'succeeded' | 'failed' | 'not_run'>;
  error?: string;
  /** The chunk run that carried the call, and the call's position in it. */
  runId: string;
  position: number;
}

/**
 * Each call's status, read from the loop's progress: a call of a running chunk is running, one of a finished chunk
 * succeeded unless it is listed in the errors; a chunk that failed as a whole (or one the loop never started because
 * an item failed first) leaves its calls not run.
 */
export function forEachItemStatuses(progress: ForEachProgress, ended: boolean): ForEachItemStatus[] {
  const errors = new Map(progress.errors.map((error) => [error.index, error.message]));
  return progress.chunks.flatMap((chunkProgress) =>
    Array.from({ length: chunkProgress.calls }, (_, position): ForEachItemStatus => {
      const index = (chunkProgress.firstCall + position) * progress.batchSize;
      const error = errors.get(index);
      const base = { index, runId: chunkProgress.runId, position };
      if (error !== undefined) return { ...base, status: 'failed', error };
      if (chunkProgress.status === 'completed') return { ...base, status: position < (chunkProgress.ran ?? chunkProgress.calls) ? 'succeeded' : 'not_run' };
      if (chunkProgress.status === 'running' && !ended) return { ...base, status: 'running' };
      return { ...base, status: ended || chunkProgress.status === 'failed' ? 'not_run' : 'pending' };
    }),
  );
}
