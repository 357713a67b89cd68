import type { EntityManager } from '@mikro-orm/postgresql';
import { WorkflowFailedError, type Client, type WorkflowExecutionStatusName } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/common';
import type { Logger } from 'pino';
import type { Run } from '../../db/entities';
import type { RunResult } from '../../engine/run-state';
import { runsFinished } from '../../platform/metrics/api-metrics';
import { NOT_YET_STARTED } from './run-dto';

/** What Temporal's closed statuses become in the run index. */
const CLOSED_STATUS: Partial<Record<WorkflowExecutionStatusName, Run['status']>> = {
  COMPLETED: 'succeeded',
  FAILED: 'failed',
  CANCELLED: 'cancelled',
  TERMINATED: 'terminated',
  TIMED_OUT: 'timed_out',
};

/**
 * How long a row may wait for Temporal to accept its start. A start request that has not reached Temporal by
 * then never will: the API that sent it stopped (or the request failed and the row could not be removed).
 */
export const START_GRACE_MS = 5 * 60_000;

/** How many runs are read from Temporal at once. */
const CONCURRENT_READS = 8;

export type RunRowChanges = Partial<Pick<Run, 'status' | 'result' | 'error' | 'endedAt' | 'temporalRunId'>>;

/**
 * What the index row of a run it lists as `running` should now say, per Temporal; undefined when nothing changed.
 * Closed runs get their final status, result or error, and close time.
 */
export async function observeRun(client: Client, run: Pick<Run, 'id' | 'temporalRunId' | 'startedAt'>, now = new Date()): Promise<RunRowChanges | undefined> {
  const handle = client.workflow.getHandle(run.id, run.temporalRunId === NOT_YET_STARTED ? undefined : run.temporalRunId);
  let description;
  try {
    description = await handle.describe();
  } catch (error) {
    if (!(error instanceof WorkflowNotFoundError)) throw error;
    if (run.temporalRunId !== NOT_YET_STARTED) {
      return { status: 'failed', error: 'Temporal has no record of this run any more (its history was deleted)', endedAt: now };
    }
    if (now.getTime() - run.startedAt.getTime() < START_GRACE_MS) return undefined;
    return { status: 'failed', error: 'the run never started: Temporal did not accept its start', endedAt: now };
  }
  const started: RunRowChanges = run.temporalRunId === description.runId ? {} : { temporalRunId: description.runId };
  const status = CLOSED_STATUS[description.status.name];
  if (!status) return Object.keys(started).length > 0 ? started : undefined;
  const closed = { ...started, status, endedAt: description.closeTime ?? now };
  const finished = client.workflow.getHandle(run.id, description.runId);
  try {
    return { ...closed, result: (await finished.result()) as RunResult, error: null };
  } catch (error) {
    if (!(error instanceof WorkflowFailedError)) throw error;
    return { ...closed, result: null, error: error.cause?.message ?? error.message };
  }
}

/**
 * Marks a `running` row succeeded with the result its waiter already holds (a REST start with `wait`, a sync
 * webhook): asking Temporal again, as a refresh does, would cost a describe and a history read per run.
 */
export function recordSucceeded(run: Pick<Run, 'status' | 'result' | 'error' | 'endedAt' | 'trigger'>, result: RunResult, endedAt = new Date()): void {
  Object.assign(run, { status: 'succeeded', result, error: null, endedAt });
  runsFinished.inc({ trigger: run.trigger, status: 'succeeded' });
}

export interface RefreshRunsOptions {
  em: EntityManager;
  client: Client;
  logger: Logger;
  /** Gives up on Temporal at this time (epoch ms); the rows it did not answer for stay as they are. */
  deadline?: number;
}

/**
 * Brings the given rows that are still `running` up to date with Temporal and saves them; returns how many changed.
 * A run Temporal cannot be asked about now is logged and left for the next refresh.
 */
export async function refreshRuns(options: RefreshRunsOptions, runs: Run[]): Promise<number> {
  const running = runs.filter((run) => run.status === 'running');
  if (running.length === 0) return 0;
  const observe = async (run: Run) => {
    try {
      return await observeRun(options.client, run);
    } catch (error) {
      options.logger.warn({ err: error, runId: run.id }, 'could not read the run from Temporal; its row stays as it is');
      return undefined;
    }
  };
  const read = () => inBatches(running, CONCURRENT_READS, observe);
  const changes = options.deadline === undefined ? await read() : await options.client.withDeadline(options.deadline, read);
  let changed = 0;
  running.forEach((run, index) => {
    const change = changes[index];
    if (!change) return;
    Object.assign(run, change);
    if (change.status) runsFinished.inc({ trigger: run.trigger, status: change.status });
    changed++;
  });
  if (changed > 0) await options.em.flush();
  return changed;
}

async function inBatches<T, R>(items: T[], size: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let i = 0; i < items.length; i += size) results.push(...(await Promise.all(items.slice(i, i + size).map(work))));
  return results;
}
