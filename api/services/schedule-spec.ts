import type { CalendarSpec, CalendarSpecDescription, Range, ScheduleDescription, ScheduleOptions, ScheduleSpec, ScheduleSpecDescription } from '@temporalio/client';
import {
  CALENDAR_DAYS,
  CALENDAR_MONTHS,
  CRON_CALENDAR_COMMENT,
  type CalendarSpecDto,
  type OverlapPolicy,
  type SchedulePoliciesInput,
  type ScheduleSpecDto,
  type ScheduleSpecInput,
} from '../../contract/schedules';

/** How the API's schedule spec and policies map onto Temporal's, both ways. */

type TemporalOverlap = NonNullable<NonNullable<ScheduleOptions['policies']>['overlap']>;

const TEMPORAL_OVERLAP: Record<OverlapPolicy, TemporalOverlap> = {
  skip: 'SKIP',
  buffer_one: 'BUFFER_ONE',
  buffer_all: 'BUFFER_ALL',
  cancel_other: 'CANCEL_OTHER',
  terminate_other: 'TERMINATE_OTHER',
  allow_all: 'ALLOW_ALL',
};

export function toTemporalOverlap(policy: OverlapPolicy): TemporalOverlap;
export function toTemporalOverlap(policy: OverlapPolicy | undefined): TemporalOverlap | undefined;
export function toTemporalOverlap(policy: OverlapPolicy | undefined): TemporalOverlap | undefined {
  return policy === undefined ? undefined : TEMPORAL_OVERLAP[policy];
}

export function fromTemporalOverlap(policy: ScheduleDescription['policies']['overlap']): OverlapPolicy {
  const found = (Object.keys(TEMPORAL_OVERLAP) as OverlapPolicy[]).find((key) => TEMPORAL_OVERLAP[key] === policy);
  // Temporal reports an unset policy as its default, SKIP.
  return found ?? 'skip';
}

/** Temporal's policies from the API's; what is not given keeps `current` (the schedule's own, on an update). */
export function toTemporalPolicies(policies: SchedulePoliciesInput = {}, current?: ScheduleDescription['policies']): NonNullable<ScheduleOptions['policies']> {
  return {
    overlap: toTemporalOverlap(policies.overlap) ?? current?.overlap,
    catchupWindow: policies.catchupWindow ?? current?.catchupWindow,
    pauseOnFailure: policies.pauseOnFailure ?? current?.pauseOnFailure,
  };
}

const ONE_SECOND = 1000;

/**
 * A one-off run is an interval of one second bounded to a single instant (which matches exactly that instant, in
 * any time zone); that shape is how `at` reads back. Cron expressions carry themselves as a comment, since Temporal
 * turns each into a calendar.
 */
export function toTemporalSpec(spec: ScheduleSpecInput): ScheduleSpec {
  if (spec.at) {
    const at = new Date(Math.ceil(Date.parse(spec.at) / ONE_SECOND) * ONE_SECOND);
    return { intervals: [{ every: ONE_SECOND }], startAt: at, endAt: at, jitter: spec.jitter, timezone: spec.timezone };
  }
  return {
    cronExpressions: spec.cron?.map((cron) => `${cron} # ${CRON_CALENDAR_COMMENT}${cron}`),
    intervals: spec.intervals?.map(({ every, offset }) => ({ every, offset })),
    calendars: spec.calendars?.map(toTemporalCalendar),
    startAt: spec.startAt ? new Date(spec.startAt) : undefined,
    endAt: spec.endAt ? new Date(spec.endAt) : undefined,
    jitter: spec.jitter,
    timezone: spec.timezone,
  };
}

export function fromTemporalSpec(spec: ScheduleSpecDescription): ScheduleSpecDto {
  const calendars = spec.calendars ?? [];
  const cron = calendars.flatMap(({ comment }) => (comment?.startsWith(CRON_CALENDAR_COMMENT) ? [comment.slice(CRON_CALENDAR_COMMENT.length)] : []));
  const otherCalendars = calendars.filter(({ comment }) => !comment?.startsWith(CRON_CALENDAR_COMMENT)).map(fromTemporalCalendar);
  const intervals = (spec.intervals ?? []).map(({ every, offset }) => ({ every, offset: offset ?? 0 }));
  const { startAt, endAt } = spec;
  const oneOff =
    cron.length === 0 &&
    otherCalendars.length === 0 &&
    intervals.length === 1 &&
    intervals[0].every === ONE_SECOND &&
    intervals[0].offset === 0 &&
    startAt !== undefined &&
    startAt.getTime() === endAt?.getTime();
  return {
    cron: oneOff ? [] : cron,
    intervals: oneOff ? [] : intervals,
    calendars: otherCalendars,
    at: oneOff ? startAt.toISOString() : null,
    startAt: oneOff ? null : (startAt?.toISOString() ?? null),
    endAt: oneOff ? null : (endAt?.toISOString() ?? null),
    jitter: spec.jitter ?? 0,
    timezone: spec.timezone || 'UTC',
  };
}

/** A calendar field as the API takes it. */
type FieldInput<T> = '*' | T | RangeInput<T> | (T | RangeInput<T>)[] | undefined;

interface RangeInput<T> {
  start: T;
  end?: T;
  step?: number;
}

function toTemporalCalendar(calendar: CalendarSpecDto): CalendarSpec {
  return {
    second: toRanges(calendar.second),
    minute: toRanges(calendar.minute),
    hour: toRanges(calendar.hour),
    dayOfMonth: toRanges(calendar.dayOfMonth),
    month: toRanges(calendar.month),
    year: toRanges(calendar.year),
    dayOfWeek: toRanges(calendar.dayOfWeek),
    comment: calendar.comment,
  };
}

function toRanges<T>(field: FieldInput<T>): '*' | Range<T>[] | undefined {
  if (field === undefined) return undefined;
  if (field === '*') return '*';
  const items = Array.isArray(field) ? field : [field];
  return items.map((item) => (isRange(item) ? { start: item.start, end: item.end ?? item.start, step: item.step ?? 1 } : { start: item, end: item, step: 1 }));
}

function isRange<T>(item: T | RangeInput<T>): item is RangeInput<T> {
  return typeof item === 'object' && item !== null && 'start' in item;
}

/** Written the way people write them: `9` for 9–9, `'*'` for the whole range, `{ start, end }` when the step is 1. */
function fromTemporalCalendar(calendar: CalendarSpecDescription): CalendarSpecDto {
  return {
    second: compact(calendar.second, 0, 59),
    minute: compact(calendar.minute, 0, 59),
    hour: compact(calendar.hour, 0, 23),
    dayOfMonth: compact(calendar.dayOfMonth, 1, 31),
    month: compact(calendar.month, CALENDAR_MONTHS[0], CALENDAR_MONTHS[11]),
    year: compact(calendar.year),
    dayOfWeek: compact(calendar.dayOfWeek, CALENDAR_DAYS[0], CALENDAR_DAYS[6]),
    ...(calendar.comment ? { comment: calendar.comment } : {}),
  };
}

function compact<T>(ranges: Range<T>[], first?: T, last?: T): '*' | T | RangeInput<T> | (T | RangeInput<T>)[] {
  // An empty list matches every value (it is how Temporal stores a year of '*').
  if (ranges.length === 0) return '*';
  if (ranges.length === 1 && ranges[0].start === first && ranges[0].end === last && ranges[0].step === 1) return '*';
  const items = ranges.map(({ start, end, step }) => (start === end ? start : step === 1 ? { start, end } : { start, end, step }));
  return items.length === 1 ? items[0] : items;
}
