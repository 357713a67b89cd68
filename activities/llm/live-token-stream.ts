import type { NodeEventSink } from '../services/node-event-sink';

/** An LLM node attempt's tokens on the run's live events. */
export interface LiveTokenStream {
  token(text: string): void;
  /** Writes what is buffered: call it when the attempt ends, whatever its outcome. */
  close(): Promise<void>;
}

/**
 * Opens the attempt's stream. A retried attempt first publishes `llm.reset`, so a viewer drops the tokens of the
 * failed attempt and shows this one's from the start. Without an event sink (a worker without a database) tokens
 * go nowhere: they are a view of the run, not part of it. An Agent's model calls stream under the Agent's node id,
 * each event carrying the `iteration` (the model call) it belongs to.
 */
export function openLiveTokenStream(
  events: NodeEventSink | undefined,
  run: { workflowId: string; runId: string },
  nodeId: string,
  attempt: number,
  iteration?: number,
): LiveTokenStream {
  if (!events) return { token: () => undefined, close: async () => undefined };
  const of = iteration === undefined ? {} : { iteration };
  if (attempt > 1) events.publish(run, { nodeId, attempt, type: 'llm.reset', data: { attempt, ...of } });
  let index = 0;
  return {
    token: (text) => events.publish(run, { nodeId, attempt, type: 'llm.token', data: { index: index++, text, ...of } }),
    close: () => events.flush(),
  };
}
