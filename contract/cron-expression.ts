/**
 * A local check of the cron expressions Temporal Schedules accept, so a mistake is reported against the expression
 * that holds it (`spec.cron.2`) instead of as one error for the whole spec. Temporal parses the expression again
 * when the schedule is saved and has the last word.
 */

interface CronField {
  name: string;
  min: number;
  max: number;
  /** Names standing for min, min + 1, …, matched by their first three letters or in full. */
  names?: readonly string[];
}

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];

const SECOND: CronField = { name: 'second', min: 0, max: 59 };
const MINUTE: CronField = { name: 'minute', min: 0, max: 59 };
const HOUR: CronField = { name: 'hour', min: 0, max: 23 };
const DAY_OF_MONTH: CronField = { name: 'day of month', min: 1, max: 31 };
const MONTH: CronField = { name: 'month', min: 1, max: 12, names: MONTHS };
// 7 is Sunday too, as in most crons.
const DAY_OF_WEEK: CronField = { name: 'day of week', min: 0, max: 7, names: WEEKDAYS };
const YEAR: CronField = { name: 'year', min: 2000, max: 2100 };

const LAYOUTS: Record<number, CronField[]> = {
  5: [MINUTE, HOUR, DAY_OF_MONTH, MONTH, DAY_OF_WEEK],
  6: [MINUTE, HOUR, DAY_OF_MONTH, MONTH, DAY_OF_WEEK, YEAR],
  7: [SECOND, MINUTE, HOUR, DAY_OF_MONTH, MONTH, DAY_OF_WEEK, YEAR],
};

const SHORTHANDS = new Set(['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly']);

const PART = /^(\*|[a-z0-9]+(?:-[a-z0-9]+)?)(?:\/(\d+))?$/i;

/** What is wrong with the expression, or undefined when Temporal should accept it. */
export function cronExpressionProblem(expression: string): string | undefined {
  const text = expression.trim();
  if (/^(cron_)?tz=/i.test(text)) return 'set the time zone in spec.timezone instead of a TZ= prefix';
  if (text.includes('#')) return 'comments (#) are not allowed';
  if (text.startsWith('@')) {
    if (/^@every\b/i.test(text)) return 'use spec.intervals for @every';
    return SHORTHANDS.has(text) ? undefined : `unknown shorthand "${text}": use @yearly, @monthly, @weekly, @daily or @hourly`;
  }
  const parts = text.split(/\s+/);
  const layout = LAYOUTS[parts.length];
  if (!layout) return `expected 5 fields (minute hour day-of-month month day-of-week), 6 (plus year) or 7 (second first, year last); got ${parts.length}`;
  for (const [index, part] of parts.entries()) {
    const problem = fieldProblem(part, layout[index]);
    if (problem) return problem;
  }
  return undefined;
}

function fieldProblem(text: string, field: CronField): string | undefined {
  for (const part of text.split(',')) {
    const match = PART.exec(part);
    if (!match) return `${field.name}: "${part}" is not a value, a range (a-b) or a step (*/n, a-b/n)`;
    const [, range, step] = match;
    if (step !== undefined && Number(step) < 1) return `${field.name}: the step in "${part}" must be at least 1`;
    if (range === '*') continue;
    const [start, end = start] = range.split('-').map((value) => valueOf(value, field));
    if (start === undefined || end === undefined) return `${field.name}: "${part}" holds a value outside ${field.min}–${field.max}${field.names ? ' or an unknown name' : ''}`;
    if (end < start) return `${field.name}: the range "${part}" ends before it starts`;
  }
  return undefined;
}

function valueOf(text: string, field: CronField): number | undefined {
  if (/^\d+$/.test(text)) {
    const value = Number(text);
    return value >= field.min && value <= field.max ? value : undefined;
  }
  const lower = text.toLowerCase();
  const index = field.names?.findIndex((name) => name === lower || (lower.length === 3 && name.startsWith(lower))) ?? -1;
  return index < 0 ? undefined : field.min + index;
}
