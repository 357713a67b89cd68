import { WorkflowFailedError, type Client } from '@temporalio/client';
import type { RunResult } from '../../engine/run-state';
import type { RunHandle } from '../../platform/start-run';

export type RunOutcome = { kind: 'succeeded'; result: RunResult } | { kind: 'failed'; error: WorkflowFailedError } | { kind: 'pending' };

/**
 * Waits up to `timeoutMs` for the run's result, or until `abandoned` fires (the sender hung up). The long poll is
 * cancelled either way, so a run that outlives its sync delivery leaves no call behind.
 */
export async function awaitRunOutcome(client: Client, handle: RunHandle, timeoutMs: number, abandoned: AbortSignal): Promise<RunOutcome> {
  const timeout = AbortSignal.timeout(timeoutMs);
  const stop = AbortSignal.any([timeout, abandoned]);
  try {
    return { kind: 'succeeded', result: await client.withAbortSignal(stop, () => handle.result()) };
  } catch (error) {
    if (stop.aborted) return { kind: 'pending' };
    if (error instanceof WorkflowFailedError) return { kind: 'failed', error };
    throw error;
  }
}
