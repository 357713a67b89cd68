import type { z } from 'zod';
import type { createScheduleBody, OverlapPolicy, ScheduleDto, updateScheduleBody } from '$contract/schedules';
import type { Recurrence } from './fire-times';

export type CreateScheduleInput = z.input<typeof createScheduleBody>;
export type UpdateScheduleInput = z.input<typeof updateScheduleBody>;

export const TIME_UNITS = { seconds: 1000, minutes: 60_000, hours: 3_600_000, days: 86_400_000 } as const;
export type TimeUnit = keyof typeof TIME_UNITS;

/** Labels of the overlap policies; a Record, so a policy added to the contract is a type error until named here. */
export const OVERLAP_LABELS: Record<OverlapPolicy, string> = {
  skip: 'skip the new run',
  buffer_one: 'buffer one, start it after',
  buffer_all: 'buffer all, start them after',
  cancel_other: 'cancel the running one',
  terminate_other: 'terminate the running one',
  allow_all: 'run both at once',
};

/** What the schedule editor edits: one cron expression or one interval, the time zone, policies and inputs. */
export interface ScheduleDraft {
  name: string;
  kind: Recurrence['kind'];
  cron: string;
  every: number;
  everyUnit: TimeUnit;
  offset: number;
  offsetUnit: TimeUnit;
  timezone: string;
  overlap: OverlapPolicy;
  pauseOnFailure: boolean;
  /** JSON object text: each run's inputs. */
  inputs: string;
  /** Set when the schedule holds more than one cron/interval, calendars or a one-off time: saving replaces them. */
  replacesSpec: boolean;
}

export function emptyDraft(timezone: string): ScheduleDraft {
  return { name: '', kind: 'cron', cron: '0 9 * * MON-FRI', every: 1, everyUnit: 'hours', offset: 0, offsetUnit: 'minutes', timezone, overlap: 'skip', pauseOnFailure: false, inputs: '{}', replacesSpec: false };
}

/** A saved schedule as a draft to edit. */
export function draftOf(schedule: ScheduleDto): ScheduleDraft {
  const { spec, policies } = schedule;
  const interval = spec.intervals[0];
  const base = { ...emptyDraft(spec.timezone), name: schedule.name, overlap: policies.overlap, pauseOnFailure: policies.pauseOnFailure, inputs: JSON.stringify(schedule.inputs, null, 2) };
  const replacesSpec = spec.cron.length + spec.intervals.length !== 1 || spec.calendars.length > 0 || spec.at !== null;
  if (spec.cron[0] !== undefined) return { ...base, kind: 'cron', cron: spec.cron[0], replacesSpec };
  if (interval) {
    const every = inUnit(interval.every);
    const offset = inUnit(interval.offset);
    return { ...base, kind: 'interval', every: every.value, everyUnit: every.unit, offset: offset.value, offsetUnit: offset.unit, replacesSpec };
  }
  return { ...base, replacesSpec };
}

/** The largest unit that divides `ms` evenly (zero reads as minutes). */
function inUnit(ms: number): { value: number; unit: TimeUnit } {
  if (ms === 0) return { value: 0, unit: 'minutes' };
  const unit = (['days', 'hours', 'minutes', 'seconds'] as const).find((candidate) => ms % TIME_UNITS[candidate] === 0) ?? 'seconds';
  return { value: ms / TIME_UNITS[unit], unit };
}

export function recurrenceOf(draft: ScheduleDraft): Recurrence {
  if (draft.kind === 'cron') return { kind: 'cron', expression: draft.cron.trim() };
  return { kind: 'interval', everyMs: draft.every * TIME_UNITS[draft.everyUnit], offsetMs: draft.offset * TIME_UNITS[draft.offsetUnit] };
}

/** Thrown for draft text the API could not even be sent (inputs that are not a JSON object), naming the field. */
export class DraftProblem extends Error {
  override name = 'DraftProblem';
}

function specOf(draft: ScheduleDraft): NonNullable<UpdateScheduleInput['spec']> {
  const recurrence = recurrenceOf(draft);
  const times = recurrence.kind === 'cron' ? { cron: [recurrence.expression] } : { intervals: [{ every: recurrence.everyMs, offset: recurrence.offsetMs }] };
  return { ...times, timezone: draft.timezone };
}

function inputsOf(draft: ScheduleDraft): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(draft.inputs.trim() || '{}');
  } catch (error) {
    throw new DraftProblem(`inputs: not JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new DraftProblem('inputs: must be a JSON object, e.g. {"city": "Paris"}');
  return parsed as Record<string, unknown>;
}

export function createBodyOf(draft: ScheduleDraft, workflowId: string): CreateScheduleInput {
  return { workflowId, name: draft.name.trim(), spec: specOf(draft), policies: { overlap: draft.overlap, pauseOnFailure: draft.pauseOnFailure }, inputs: inputsOf(draft) };
}

export function updateBodyOf(draft: ScheduleDraft): UpdateScheduleInput {
  return { name: draft.name.trim(), spec: specOf(draft), policies: { overlap: draft.overlap, pauseOnFailure: draft.pauseOnFailure }, inputs: inputsOf(draft) };
}
