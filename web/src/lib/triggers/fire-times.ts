import { Cron } from 'croner';
import { cronExpressionProblem } from '$contract/cron-expression';

/** What a schedule editor describes: a cron expression, or an interval since the Unix epoch. */
export type Recurrence = { kind: 'cron'; expression: string } | { kind: 'interval'; everyMs: number; offsetMs: number };

export type FireTimes = { times: Date[]; problem?: undefined } | { times?: undefined; problem: string };

export interface FireTimesOptions {
  /** IANA name: cron expressions are read in it; intervals ignore it (they count from the epoch, in UTC). */
  timezone: string;
  count?: number;
  /** Times strictly after this instant. */
  after?: Date;
}

/** Temporal's shorthands, spelled out so the preview does not depend on croner's reading of them. */
const SHORTHANDS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

/**
 * Temporal's cron as croner's: Temporal reads six fields as "minute … day-of-week year" and seven as "second …
 * year", while croner reads six as "second … day-of-week"; so a six-field expression gets second 0 in front.
 */
export function cronPatternOf(expression: string): string {
  const text = expression.trim();
  const spelled = SHORTHANDS[text.toLowerCase()];
  if (spelled) return spelled;
  const fields = text.split(/\s+/);
  return fields.length === 6 ? `0 ${fields.join(' ')}` : fields.join(' ');
}

/**
 * The next times a recurrence fires, as Temporal would start them (before jitter). Temporal matches a calendar
 * only when every field matches, so a cron with both a day of month and a day of week needs both (unlike classic
 * cron's either-or). The server answers the authoritative times once the schedule is saved.
 */
export function nextFireTimes(recurrence: Recurrence, { timezone, count = 5, after = new Date() }: FireTimesOptions): FireTimes {
  if (!isTimeZone(timezone)) return { problem: `unknown time zone "${timezone}"` };
  if (recurrence.kind === 'interval') return intervalTimes(recurrence, count, after);
  const problem = cronExpressionProblem(recurrence.expression);
  if (problem) return { problem };
  try {
    const pattern = cronPatternOf(recurrence.expression);
    const cron = new Cron(pattern, { timezone, domAndDow: true, mode: pattern.split(' ').length === 7 ? '7-part' : 'auto' });
    const times = cron.nextRuns(count, after);
    return times.length > 0 ? { times } : { problem: 'this expression never fires again' };
  } catch (error) {
    return { problem: error instanceof Error ? error.message : String(error) };
  }
}

/** Temporal fires an interval at epoch + n × every + offset. */
function intervalTimes({ everyMs, offsetMs }: { everyMs: number; offsetMs: number }, count: number, after: Date): FireTimes {
  if (!Number.isFinite(everyMs) || everyMs < 1000 || everyMs % 1000 !== 0) return { problem: 'every must be whole seconds, at least 1 second' };
  if (!Number.isFinite(offsetMs) || offsetMs < 0 || offsetMs >= everyMs || offsetMs % 1000 !== 0) return { problem: 'offset must be whole seconds, less than every' };
  const first = Math.floor((after.getTime() - offsetMs) / everyMs) + 1;
  return { times: Array.from({ length: count }, (_, index) => new Date((first + index) * everyMs + offsetMs)) };
}

export function isTimeZone(name: string): boolean {
  if (!name) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** A fire time as a person in `timezone` reads it, with the zone's abbreviation or offset. */
export function formatInZone(time: Date, timezone: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone: timezone, weekday: 'short', year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit', timeZoneName: 'short' }).format(time);
}
