export type NodeStatus = 'pending' | 'running' | 'waiting' | 'succeeded' | 'failed' | 'skipped';

export interface NodeError {
  message: string;
  type?: string;
}

export interface NodeState {
  status: NodeStatus;
  /** Activity attempts used so far (0 for nodes that are not activities or have not started). */
  attempts: number;
  startedAt?: number;
  endedAt?: number;
  error?: NodeError;
  /** The output handle a branching node (condition, approval) took. */
  branch?: string;
}

export type RunStatus = 'running' | 'succeeded' | 'failed';

export interface RunState {
  status: RunStatus;
  nodes: Record<string, NodeState>;
}

export interface RunResult {
  /** The input of the End node that ran; an object keyed by End node id when several ran; null when none did. */
  output: unknown;
  endNodeIds: string[];
}

export interface ApprovalDecision {
  nodeId: string;
  approved: boolean;
  /** Free-form data handed to the nodes after the approval. */
  data?: unknown;
  comment?: string;
  by?: string;
}
