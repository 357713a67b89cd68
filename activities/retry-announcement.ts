import { ApplicationFailure, type Info } from '@temporalio/activity';
import type { NodeEventSink } from './services/node-event-sink';

/**
 * Whether Temporal will run another attempt after this one fails with `failure`, per the activity's retry policy:
 * not for a non-retryable failure (flagged, or of a type the policy names) nor after the policy's last attempt.
 */
export function willRetry(info: Pick<Info, 'attempt' | 'retryPolicy'>, failure: Error): boolean {
  if (failure instanceof ApplicationFailure && failure.nonRetryable) return false;
  if (info.retryPolicy?.nonRetryableErrorTypes?.includes(typeOf(failure))) return false;
  const maximum = info.retryPolicy?.maximumAttempts ?? 0;
  return maximum === 0 || info.attempt < maximum;
}

/**
 * A failed attempt that will be retried says so on the run's live events, with its error, before it ends: stored
 * with the run, the announcement reaches a client that follows the run live and one that replays it alike.
 */
export async function announceRetry(
  events: NodeEventSink | undefined,
  run: { workflowId: string; runId: string },
  nodeId: string,
  info: Pick<Info, 'attempt' | 'retryPolicy'>,
  failure: Error,
): Promise<void> {
  if (!events || !willRetry(info, failure)) return;
  events.publish(run, { nodeId, attempt: info.attempt, type: 'node.retrying', data: { attempt: info.attempt + 1, lastFailure: { message: failure.message, type: typeOf(failure) } } });
  await events.flush();
}

/** What Temporal matches against nonRetryableErrorTypes: an ApplicationFailure's type, else the error's name. */
function typeOf(failure: Error): string {
  return failure instanceof ApplicationFailure && failure.type ? failure.type : failure.name;
}
