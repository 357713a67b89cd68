import { z } from 'zod';
import { durationToMs } from '../engine/duration';
import { durationSchema } from '../engine/graph';
import { cronExpressionProblem } from './cron-expression';

/**
 * Request and response shapes of /api/v1/schedules. A schedule is a Temporal Schedule: the spec and policies are
 * Temporal's, and every response is read back from Temporal, so a response's `spec` can be sent again unchanged.
 */

export const SCHEDULE_ID_PATTERN = /^sch-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export const OVERLAP_POLICIES = ['skip', 'buffer_one', 'buffer_all', 'cancel_other', 'terminate_other', 'allow_all'] as const;
export const overlapPolicySchema = z
  .enum(OVERLAP_POLICIES)
  .describe(
    'when a run is due while an earlier one still runs: skip it; buffer one (or all) to start when the earlier ends; ' +
      'cancel or terminate the earlier; or allow all to run at once',
  );
export type OverlapPolicy = z.infer<typeof overlapPolicySchema>;

export const CALENDAR_MONTHS = ['JANUARY', 'FEBRUARY', 'MARCH', 'APRIL', 'MAY', 'JUNE', 'JULY', 'AUGUST', 'SEPTEMBER', 'OCTOBER', 'NOVEMBER', 'DECEMBER'] as const;
export const CALENDAR_DAYS = ['SUNDAY', 'MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY'] as const;

/** Milliseconds, from milliseconds or a duration text ("90s", "5m"). */
const milliseconds = durationSchema.transform((value) => durationToMs(value));
const wholeSeconds = milliseconds.refine((ms) => ms % 1000 === 0, 'must be whole seconds');

const instant = z.iso.datetime({ offset: true }).describe('ISO 8601 instant, e.g. 2030-01-31T09:30:00Z');

/** A value, a range `{ start, end, step }` (end defaults to start, step to 1), a list of those, or `'*'` for all. */
function calendarField<T extends number | string>(value: z.ZodType<T>, order: (item: T) => number) {
  const range = z
    .object({ start: value, end: value.optional(), step: z.number().int().min(1).max(1000).optional() })
    .strict()
    .refine((r) => r.end === undefined || order(r.end) >= order(r.start), { message: 'end must not come before start', path: ['end'] })
    .refine((r) => r.step === undefined || r.end !== undefined, { message: 'a step needs an end', path: ['step'] });
  const item = z.union([value, range]);
  return z.union([z.literal('*'), item, z.array(item).min(1).max(100)]).optional();
}

const int = (min: number, max: number) => z.number().int().min(min).max(max);
const numbered = (n: number) => n;

/** Reserved: calendars made from `cron` expressions carry this comment in Temporal, which is how `cron` reads back. */
export const CRON_CALENDAR_COMMENT = 'kai:cron ';

export const calendarSpecSchema = z
  .object({
    second: calendarField(int(0, 59), numbered).describe('default 0'),
    minute: calendarField(int(0, 59), numbered).describe('default 0'),
    hour: calendarField(int(0, 23), numbered).describe('default 0'),
    dayOfMonth: calendarField(int(1, 31), numbered).describe("default '*'"),
    month: calendarField(z.enum(CALENDAR_MONTHS), (m) => CALENDAR_MONTHS.indexOf(m)).describe("default '*'"),
    year: calendarField(int(2000, 2100), numbered).describe("default '*'"),
    dayOfWeek: calendarField(z.enum(CALENDAR_DAYS), (d) => CALENDAR_DAYS.indexOf(d)).describe("default '*'"),
    comment: z
      .string()
      .max(200)
      .refine((comment) => !comment.startsWith(CRON_CALENDAR_COMMENT), `must not start with "${CRON_CALENDAR_COMMENT}"`)
      .optional(),
  })
  .strict()
  .describe('matches the instants whose every field matches, in spec.timezone (like cron, with names for months and days)');
export type CalendarSpecDto = z.infer<typeof calendarSpecSchema>;

const intervalSchema = z
  .object({
    every: wholeSeconds.refine((ms) => ms >= 1000, 'must be at least 1 second').describe('e.g. "2s", "15m", "1d", or milliseconds'),
    offset: wholeSeconds.optional().describe('shifts the instants: every 1h with offset 15m fires at :15'),
  })
  .strict()
  .refine((i) => i.offset === undefined || i.offset < i.every, { message: 'must be less than every', path: ['offset'] })
  .describe('fires at epoch + n × every + offset');

function isTimeZone(name: string): boolean {
  // Intl also takes offsets like "+05:30", which Temporal does not: only IANA names pass.
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(name)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

export const scheduleSpecSchema = z
  .object({
    cron: z
      .array(z.string().trim().min(1).max(200).superRefine((cron, ctx) => {
        const problem = cronExpressionProblem(cron);
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      }))
      .max(20)
      .optional()
      .describe('cron expressions: "minute hour day-of-month month day-of-week", optionally with seconds first and a year last'),
    intervals: z.array(intervalSchema).max(20).optional(),
    calendars: z.array(calendarSpecSchema).max(20).optional(),
    at: instant.nullish().describe('a one-off run at this instant (rounded up to the second); not combined with the other fields'),
    startAt: instant.nullish().describe('no runs before this instant'),
    endAt: instant.nullish().describe('no runs after this instant'),
    jitter: milliseconds.optional().describe('each run starts up to this much later, at random'),
    timezone: z.string().max(100).refine(isTimeZone, 'must be an IANA time zone name, e.g. Europe/Paris').optional().describe('IANA time zone of cron and calendars; default UTC'),
  })
  .strict()
  .superRefine((spec, ctx) => {
    const recurring = (spec.cron?.length ?? 0) + (spec.intervals?.length ?? 0) + (spec.calendars?.length ?? 0) > 0;
    if (spec.at) {
      for (const field of ['cron', 'intervals', 'calendars', 'startAt', 'endAt'] as const) {
        const value = spec[field];
        if (value !== undefined && value !== null && !(Array.isArray(value) && value.length === 0)) {
          ctx.addIssue({ code: 'custom', path: [field], message: 'a one-off schedule (at) takes no other times' });
        }
      }
      if (Date.parse(spec.at) <= Date.now()) ctx.addIssue({ code: 'custom', path: ['at'], message: 'must be in the future' });
    } else if (!recurring) {
      ctx.addIssue({ code: 'custom', path: [], message: 'give at least one of cron, intervals, calendars or at' });
    }
    if (spec.startAt && spec.endAt && Date.parse(spec.endAt) < Date.parse(spec.startAt)) {
      ctx.addIssue({ code: 'custom', path: ['endAt'], message: 'must not be before startAt' });
    }
  });
export type ScheduleSpecInput = z.infer<typeof scheduleSpecSchema>;

export const schedulePoliciesSchema = z
  .object({
    overlap: overlapPolicySchema.optional().describe('default skip'),
    catchupWindow: milliseconds
      .refine((ms) => ms >= 10_000, 'must be at least 10 seconds')
      .optional()
      .describe('after an outage, runs missed by less than this still start; default 1 year'),
    pauseOnFailure: z.boolean().optional().describe('pause the schedule when a run fails; default false'),
  })
  .strict();
export type SchedulePoliciesInput = z.infer<typeof schedulePoliciesSchema>;

const MAX_INPUTS_BYTES = 64 * 1024;
const inputsSchema = z
  .record(z.string(), z.unknown())
  .refine((inputs) => new TextEncoder().encode(JSON.stringify(inputs)).length <= MAX_INPUTS_BYTES, `must be at most ${MAX_INPUTS_BYTES / 1024} KiB as JSON`)
  .describe("each run's inputs: the output of the Schedule (or Start) node");

const nameSchema = z.string().trim().min(1).max(200);
const noteSchema = z.string().trim().min(1).max(1000);
const maxRunsSchema = z.number().int().min(1).max(1_000_000);

export const createScheduleBody = z
  .object({
    workflowId: z.uuid(),
    version: z.number().int().min(1).optional().describe('the version number to run; default the latest published'),
    name: nameSchema,
    spec: scheduleSpecSchema,
    policies: schedulePoliciesSchema.optional(),
    maxRuns: maxRunsSchema.optional().describe('stop after this many scheduled runs; default unlimited'),
    paused: z.boolean().optional().describe('create it paused; default false'),
    note: noteSchema.optional().describe('why it is paused, or any remark'),
    inputs: inputsSchema.optional(),
  })
  .strict();
export type CreateScheduleBody = z.infer<typeof createScheduleBody>;

export const updateScheduleBody = z
  .object({
    name: nameSchema.optional(),
    version: z.number().int().min(1).optional(),
    spec: scheduleSpecSchema.optional().describe('replaces the whole spec'),
    policies: schedulePoliciesSchema.optional().describe('only the policies given change'),
    maxRuns: maxRunsSchema.nullable().optional().describe('runs left from now on; null for unlimited'),
    inputs: inputsSchema.optional(),
  })
  .strict()
  .refine((body) => Object.keys(body).length > 0, { message: 'send at least one of name, version, spec, policies, maxRuns, inputs' });
export type UpdateScheduleBody = z.infer<typeof updateScheduleBody>;

export const scheduleNoteBody = z.object({ note: noteSchema.optional() }).strict().optional();

export const triggerScheduleBody = z
  .object({ overlap: overlapPolicySchema.optional().describe("default the schedule's own overlap policy") })
  .strict()
  .optional();

export const backfillScheduleBody = z
  .object({
    start: instant,
    end: instant.describe('exclusive: a run due exactly at end is not started'),
    overlap: overlapPolicySchema.optional().describe("default the schedule's own overlap policy"),
  })
  .strict()
  .refine((range) => Date.parse(range.end) > Date.parse(range.start), { message: 'must be after start', path: ['end'] })
  .describe(
    'at most KAI_SCHEDULE_BACKFILL_MAX_RUNS runs (default 1,000) per backfill: a range the schedule was due more ' +
      'runs in is refused with 400 at body.end, saying how many it would start',
  );

export const backfillScheduleDto = z.object({ runs: z.number().int().describe('how many runs the backfill starts (each as the overlap policy allows)') });

export const scheduleParams = z.object({ scheduleId: z.string().regex(SCHEDULE_ID_PATTERN, 'must be a schedule id (sch-<uuid>)') }).strict();
export const listSchedulesQuery = z.object({ workflowId: z.uuid().optional().describe('only the schedules of this workflow') }).strict();

export const scheduleSpecDto = z.object({
  cron: z.array(z.string()),
  intervals: z.array(z.object({ every: z.number().describe('milliseconds'), offset: z.number().describe('milliseconds') })),
  calendars: z.array(calendarSpecSchema),
  at: z.iso.datetime().nullable(),
  startAt: z.iso.datetime().nullable(),
  endAt: z.iso.datetime().nullable(),
  jitter: z.number().describe('milliseconds'),
  timezone: z.string(),
});
export type ScheduleSpecDto = z.infer<typeof scheduleSpecDto>;

export const scheduleDto = z.object({
  id: z.string(),
  name: z.string(),
  workflowId: z.uuid(),
  versionId: z.uuid(),
  versionNumber: z.number().int(),
  createdBy: z.uuid().nullable(),
  createdAt: z.iso.datetime(),
  spec: scheduleSpecDto,
  policies: z.object({ overlap: overlapPolicySchema, catchupWindow: z.number().describe('milliseconds'), pauseOnFailure: z.boolean() }),
  inputs: z.record(z.string(), z.unknown()),
  state: z.object({
    paused: z.boolean(),
    note: z.string().nullable(),
    runsLeft: z.number().int().nullable().describe('scheduled runs still allowed; null for unlimited'),
  }),
  info: z.object({
    nextFireTimes: z.array(z.iso.datetime()),
    recentActions: z.array(z.object({ scheduledAt: z.iso.datetime(), takenAt: z.iso.datetime(), runId: z.string(), temporalRunId: z.string() })).describe('oldest first'),
    runningRunIds: z.array(z.string()),
    actionsTaken: z.number().int(),
    actionsSkippedOverlap: z.number().int(),
    actionsMissedCatchupWindow: z.number().int(),
    updatedAt: z.iso.datetime().nullable().describe('last change of the schedule in Temporal'),
  }),
  temporalUiUrl: z.string().nullable(),
});
export type ScheduleDto = z.infer<typeof scheduleDto>;
