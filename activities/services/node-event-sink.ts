/**
 * A live event a node emits while it runs: an LLM token, an agent step, the reset of a retried attempt's stream, or
 * the announcement that a failed attempt will be retried (with its error).
 */
export interface NodeLiveEvent {
  nodeId: string;
  attempt: number;
  type: 'llm.token' | 'llm.reset' | 'agent.step' | 'node.retrying';
  data: unknown;
}

/** Carries live events to the run's event stream outside Temporal history (tokens are too many to record). */
export interface NodeEventSink {
  publish(run: { workflowId: string; runId: string }, event: NodeLiveEvent): void;
  /** Writes what is buffered; called before an attempt ends so its last tokens are not lost. */
  flush(): Promise<void>;
}
