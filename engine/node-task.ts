/** The contract between the interpreter workflow and every node activity. */
export interface NodeTaskInput {
  node: { id: string; type: string; version: number; label: string };
  /** Config with templates resolved by the workflow; may still hold references to stored outputs. */
  config: Record<string, unknown>;
  incoming: Record<string, unknown>;
  /** The run's workspace: credentials are looked up within it. */
  workspaceId?: string;
  /** Set when an Agent calls the node as a tool: the arguments the model chose. */
  toolArguments?: Record<string, unknown>;
}

export interface NodeTaskResult {
  /** The node's output, or a reference to it when it is too large for a Temporal payload. */
  output: unknown;
  attempt: number;
}

/** Attached to a node failure as its first detail, so the run can record how many attempts were used. */
export interface NodeFailureDetails {
  attempt: number;
  details?: unknown[];
}

export type NodeTask = (input: NodeTaskInput) => Promise<NodeTaskResult>;
