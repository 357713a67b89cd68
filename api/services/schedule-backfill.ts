import { isGrpcServiceError, ScheduleNotFoundError, type Client } from '@temporalio/client';
import { msNumberToTs, tsToMs } from '@temporalio/common/lib/time';
import { ApiError } from '../http/api-error';

/** gRPC's status code, as Temporal answers for a schedule it does not have. */
const GRPC_NOT_FOUND = 5;

/** Runs one backfill may start unless KAI_SCHEDULE_BACKFILL_MAX_RUNS says otherwise. */
export const DEFAULT_BACKFILL_MAX_RUNS = 1_000;

export interface DueRuns {
  count: number;
  /** The earliest and the latest of the runs counted. */
  first?: Date;
  last?: Date;
}

export interface BackfillRange {
  start: Date;
  /** Exclusive. */
  end: Date;
}

/**
 * How many runs a backfill of the range would start, counted up to `stopAt` at most. Temporal counts them from the
 * schedule's own spec (cron, intervals, calendars, time zone, bounds: ListScheduleMatchingTimes), so the count is
 * the one the backfill would act on; it answers at most a page of times per call, so a long range is read page by
 * page and never further than `stopAt`.
 */
export async function countDueRuns(client: Client, scheduleId: string, range: BackfillRange, stopAt: number): Promise<DueRuns> {
  // Temporal lists times strictly after `startTime` and up to `endTime` included: shift both back by 1 ms so the
  // range's start is counted and its end is not, as the backfill itself does.
  let after = range.start.getTime() - 1;
  const until = range.end.getTime() - 1;
  const counted: number[] = [];
  while (counted.length < stopAt && after < until) {
    const page = await listMatchingTimes(client, scheduleId, after, until);
    if (page.length === 0) break;
    counted.push(...page.slice(0, stopAt - counted.length));
    after = page[page.length - 1];
  }
  return counted.length === 0 ? { count: 0 } : { count: counted.length, first: new Date(counted[0]), last: new Date(counted[counted.length - 1]) };
}

/** Refuses (400 at body.end) a backfill that would start more than `maxRuns` runs; otherwise answers how many it starts. */
export async function checkBackfillSize(client: Client, scheduleId: string, range: BackfillRange, maxRuns: number): Promise<number> {
  const due = await countDueRuns(client, scheduleId, range, maxRuns + 1);
  if (due.count <= maxRuns) return due.count;
  const message = `this range would start more than ${maxRuns} runs (${estimate(range, due)}); the limit is ${maxRuns} runs per backfill: backfill a shorter range`;
  throw new ApiError(400, 'validation_failed', `invalid body: body.end: ${message}`, [{ path: 'body.end', message }]);
}

/** The full count extrapolated from the runs counted (their number of gaps over their span), since counting them all could take forever. */
function estimate(range: BackfillRange, { count, first, last }: DueRuns): string {
  const span = (last?.getTime() ?? 0) - (first?.getTime() ?? 0);
  if (span <= 0) return `at least ${count}`;
  const about = Math.round(((count - 1) * (range.end.getTime() - range.start.getTime())) / span);
  return `about ${Math.max(about, count).toLocaleString('en-US')}, at the rate of its first ${count}`;
}

async function listMatchingTimes(client: Client, scheduleId: string, afterMs: number, untilMs: number): Promise<number[]> {
  try {
    const { startTime } = await client.workflowService.listScheduleMatchingTimes({
      namespace: client.options.namespace,
      scheduleId,
      startTime: msNumberToTs(afterMs),
      endTime: msNumberToTs(untilMs),
    });
    return (startTime ?? []).map((time) => tsToMs(time));
  } catch (error) {
    if (isGrpcServiceError(error) && error.code === GRPC_NOT_FOUND) throw new ScheduleNotFoundError(error.message, scheduleId);
    throw error;
  }
}
