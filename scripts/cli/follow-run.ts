import { setTimeout as sleep } from 'node:timers/promises';
import { WorkflowFailedError } from '@temporalio/client';
import type { RunResult, RunState } from '../../engine/run-state';
import type { RunHandle } from '../../platform/start-run';
import { runStateQuery } from '../../workflows/messages';
import { messageOf } from './cli-error';

const POLL_INTERVAL_MS = 300;

export type RunOutcome = { succeeded: true; result: RunResult } | { succeeded: false; error: unknown };

export function awaitOutcome(handle: RunHandle): Promise<RunOutcome> {
  return handle.result().then(
    (result): RunOutcome => ({ succeeded: true, result }),
    (error: unknown): RunOutcome => ({ succeeded: false, error }),
  );
}

/** Polls the run's state until the run closes, then reads it once more so the last transitions are reported too. */
export async function followRun(handle: RunHandle, report: (state: RunState) => void): Promise<RunOutcome> {
  let closed = false;
  const outcome = awaitOutcome(handle).finally(() => void (closed = true));
  for (;;) {
    const closedBeforeQuery = closed;
    const state = await queryState(handle);
    if (state) report(state);
    if (closedBeforeQuery) return outcome;
    await sleep(POLL_INTERVAL_MS);
  }
}

/**
 * A run whose first workflow task has not completed, or a closed run with no worker left to replay it, cannot
 * answer; the next poll (or the run's result) tells the rest, so such a miss is not an error.
 */
async function queryState(handle: RunHandle): Promise<RunState | undefined> {
  try {
    return await handle.query(runStateQuery);
  } catch {
    return undefined;
  }
}

/** The interpreter fails a run with the failing node named in the cause; other closes (terminated…) say why. */
export function describeRunFailure(error: unknown): string {
  if (error instanceof WorkflowFailedError) return error.cause?.message ?? error.message;
  return messageOf(error);
}
