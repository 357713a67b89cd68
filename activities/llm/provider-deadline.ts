import { asyncLocalStorage } from '@temporalio/activity';

/**
 * The time a provider call may take inside its activity: a little less than the attempt's start-to-close, so a
 * provider that hangs fails the attempt with a message naming the model and the limit, before Temporal ends it with a
 * bare `activity StartToClose timeout` that names neither.
 */
export interface ProviderDeadline {
  /** Aborts the call at the deadline, or when the activity is cancelled. */
  signal: AbortSignal;
  limitMs: number;
  /** True once the deadline (not a cancellation) ended the call. */
  passed(): boolean;
}

/** Room left after the deadline to fail the attempt and report it: a tenth of the limit, at most 5 s. */
const MAX_MARGIN_MS = 5_000;

/** `signal` is the attempt's cancellation; outside an activity (a node's `run` called by a test) only it applies. */
export function providerDeadline(signal: AbortSignal): ProviderDeadline {
  const startToClose = asyncLocalStorage.getStore()?.info.startToCloseTimeoutMs ?? 0;
  if (!(startToClose > 0)) return { signal, limitMs: Infinity, passed: () => false };
  const limitMs = Math.max(1, startToClose - Math.min(MAX_MARGIN_MS, Math.round(startToClose / 10)));
  const timeout = AbortSignal.timeout(limitMs);
  return { signal: AbortSignal.any([signal, timeout]), limitMs, passed: () => timeout.aborted };
}

/** "2.7 s", "30 s", "4 min 30 s": the limit as a person reads it. */
export function formatLimit(ms: number): string {
  const seconds = Math.round(ms / 100) / 10;
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  const rest = Math.round(seconds - minutes * 60);
  return rest ? `${minutes} min ${rest} s` : `${minutes} min`;
}
