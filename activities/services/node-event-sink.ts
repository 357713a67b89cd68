/**
 * A live event a node emits while it runs: an LLM token, an agent step, the reset of a retried attempt's stream, or
 * the announcement that a failed attempt will be retried (with its error), or how an attempt ended
 * ({@link NodeAttemptEnded}).
 */
export interface NodeLiveEvent {
  nodeId: string;
  attempt: number;
  type: 'llm.token' | 'llm.reset' | 'agent.step' | 'node.retrying' | 'node.attempt';
  data: unknown;
}

/**
 * The data of a `node.attempt` event: one attempt's outcome, for the run inspector's list of attempts. Temporal's
 * history keeps only a node's last failure, so each failed attempt (and the last one after a retry) is told here.
 * The error is the one the attempt failed with, secrets scrubbed, as Temporal records it.
 */
export interface NodeAttemptEnded {
  status: 'succeeded' | 'failed';
  durationMs: number;
  error: { message: string; type?: string } | null;
}

/** Carries live events to the run's event stream outside Temporal history (tokens are too many to record). */
export interface NodeEventSink {
  publish(run: { workflowId: string; runId: string }, event: NodeLiveEvent): void;
  /** Writes what is buffered; called before an attempt ends so its last tokens are not lost. */
  flush(): Promise<void>;
}
