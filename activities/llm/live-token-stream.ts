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
 * go nowhere: they are a view of the run, not part of it.
 */
export function openLiveTokenStream(events: NodeEventSink | undefined, run: { workflowId: string; runId: string }, nodeId: string, attempt: number): LiveTokenStream {
  if (!events) return { token: () => undefined, close: async () => undefined };
  if (attempt > 1) events.publish(run, { nodeId, attempt, type: 'llm.reset', data: { attempt } });
  let index = 0;
  return {
    token: (text) => events.publish(run, { nodeId, attempt, type: 'llm.token', data: { index: index++, text } }),
    close: () => events.flush(),
  };
}
