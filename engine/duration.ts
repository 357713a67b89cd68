import { msToNumber } from '@temporalio/common/lib/time';

/** Milliseconds, or a string Temporal understands: "500ms", "30s", "5m", "2h", "3d". */
export type Duration = number | string;

/** Throws on text that is not a duration; the workflow imports this, so it stays free of schema libraries. */
export function durationToMs(value: Duration): number {
  return msToNumber(value as Parameters<typeof msToNumber>[0]);
}

export function isDuration(value: unknown): boolean {
  if (typeof value !== 'number' && typeof value !== 'string') return false;
  try {
    const ms = durationToMs(value);
    return Number.isFinite(ms) && ms >= 0;
  } catch {
    return false;
  }
}
