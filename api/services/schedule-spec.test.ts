import { scheduleSpecSchema } from '../../contract/schedules';
import { fromTemporalSpec, toTemporalSpec } from './schedule-spec';

const parse = (spec: unknown) => scheduleSpecSchema.parse(spec);

function problems(spec: unknown): string[] {
  const parsed = scheduleSpecSchema.safeParse(spec);
  return parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}

test('the API spec becomes a Temporal spec: durations in ms, cron carried in its comment, full calendar ranges', () => {
  const spec = toTemporalSpec(
    parse({
      cron: ['30 9 * * MON-FRI'],
      intervals: [{ every: '90s', offset: 30_000 }],
      calendars: [{ hour: [9, { start: 12, end: 18, step: 2 }], dayOfWeek: 'MONDAY', month: '*' }],
      startAt: '2030-01-01T00:00:00+01:00',
      jitter: '5s',
      timezone: 'Europe/Paris',
    }),
  );
  expect(spec).toEqual({
    cronExpressions: ['30 9 * * MON-FRI # kai:cron 30 9 * * MON-FRI'],
    intervals: [{ every: 90_000, offset: 30_000 }],
    calendars: [
      {
        hour: [
          { start: 9, end: 9, step: 1 },
          { start: 12, end: 18, step: 2 },
        ],
        dayOfWeek: [{ start: 'MONDAY', end: 'MONDAY', step: 1 }],
        month: '*',
      },
    ],
    startAt: new Date('2029-12-31T23:00:00Z'),
    endAt: undefined,
    jitter: 5000,
    timezone: 'Europe/Paris',
  });
});

test('a one-off time is a one-second interval bounded to that instant, rounded up to the second', () => {
  const at = new Date(Math.floor(Date.now() / 1000) * 1000 + 60_500);
  const rounded = new Date(at.getTime() + 500);
  expect(toTemporalSpec(parse({ at: at.toISOString() }))).toEqual({ intervals: [{ every: 1000 }], startAt: rounded, endAt: rounded, jitter: undefined, timezone: undefined });
  expect(fromTemporalSpec({ intervals: [{ every: 1000, offset: 0 }], calendars: [], startAt: rounded, endAt: rounded, timezone: '' })).toEqual({
    cron: [],
    intervals: [],
    calendars: [],
    at: rounded.toISOString(),
    startAt: null,
    endAt: null,
    jitter: 0,
    timezone: 'UTC',
  });
});

test('a Temporal description reads back in the API shape: cron from its comment, calendars compacted', () => {
  const any = { start: 1, end: 31, step: 1 };
  const dto = fromTemporalSpec({
    calendars: [
      {
        second: [{ start: 0, end: 0, step: 1 }],
        minute: [{ start: 30, end: 30, step: 1 }],
        hour: [{ start: 9, end: 9, step: 1 }],
        dayOfMonth: [any],
        month: [{ start: 'JANUARY', end: 'DECEMBER', step: 1 }],
        year: [],
        dayOfWeek: [{ start: 'MONDAY', end: 'FRIDAY', step: 1 }],
        comment: 'kai:cron 30 9 * * MON-FRI',
      },
      {
        second: [{ start: 0, end: 59, step: 15 }],
        minute: [{ start: 0, end: 59, step: 1 }],
        hour: [
          { start: 8, end: 8, step: 1 },
          { start: 17, end: 20, step: 1 },
        ],
        dayOfMonth: [any],
        month: [{ start: 'MARCH', end: 'MARCH', step: 1 }],
        year: [{ start: 2030, end: 2030, step: 1 }],
        dayOfWeek: [{ start: 'SUNDAY', end: 'SATURDAY', step: 1 }],
        comment: 'rush hours',
      },
    ],
    intervals: [{ every: 7_200_000, offset: 0 }],
    startAt: new Date('2030-01-01T00:00:00Z'),
    timezone: 'Asia/Kolkata',
    jitter: 2000,
  });
  expect(dto).toEqual({
    cron: ['30 9 * * MON-FRI'],
    intervals: [{ every: 7_200_000, offset: 0 }],
    calendars: [
      { second: { start: 0, end: 59, step: 15 }, minute: '*', hour: [8, { start: 17, end: 20 }], dayOfMonth: '*', month: 'MARCH', year: 2030, dayOfWeek: '*', comment: 'rush hours' },
    ],
    at: null,
    startAt: '2030-01-01T00:00:00.000Z',
    endAt: null,
    jitter: 2000,
    timezone: 'Asia/Kolkata',
  });
  expect(problems(dto)).toEqual([]);
});

test('the spec refuses what Temporal would not take, at the field that holds it', () => {
  expect(problems({ at: '2001-01-01T00:00:00Z' })).toEqual(['at: must be in the future']);
  expect(problems({ intervals: [{ every: '1500ms' }] })).toEqual(['intervals.0.every: must be whole seconds']);
  expect(problems({ intervals: [{ every: '1h' }], startAt: '2030-01-02T00:00:00Z', endAt: '2030-01-01T00:00:00Z' })).toEqual(['endAt: must not be before startAt']);
  expect(problems({ calendars: [{ hour: { start: 3, step: 2 } }] })).toEqual(['calendars.0.hour.step: a step needs an end']);
  expect(problems({ calendars: [{ comment: 'kai:cron 0 0 * * *' }] })).toEqual(['calendars.0.comment: must not start with "kai:cron "']);
  expect(problems({ cron: ['0 9 * * *'], timezone: '+05:30' })).toEqual(['timezone: must be an IANA time zone name, e.g. Europe/Paris']);
});
