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
  /** What a waiting Approval asks, templates resolved. */
  message?: string;
  /** Set when a re-run took this node's recorded outcome from an earlier run instead of running it again. */
  reusedFrom?: string;
}

export type RunStatus = 'running' | 'succeeded' | 'failed';

export type RunEventType = 'node.started' | 'node.waiting' | 'node.succeeded' | 'node.failed' | 'node.skipped' | 'run.succeeded' | 'run.failed';

/** One step of a run, numbered in order; a client that reconnects asks for the events after the last it saw. */
export interface RunEvent {
  seq: number;
  at: number;
  type: RunEventType;
  nodeId?: string;
  attempts?: number;
  branch?: string;
  error?: NodeError;
}

/** What a node received and produced; outputs may be references to outputs stored outside Temporal. */
export interface NodeIo {
  input?: unknown;
  output?: unknown;
}

/** A node outcome recorded by an earlier run, replayed instead of running the node again. */
export interface ReusedOutcome {
  output: unknown;
  branch?: string;
  skipped?: boolean;
}

export interface RunState {
  status: RunStatus;
  nodes: Record<string, NodeState>;
}

export interface RunResult {
  /** The input of the End node that ran; an object keyed by End node id when several ran; null when none did. */
  output: unknown;
  endNodeIds: string[];
  /** The HTTP answer the End node asks a synchronous webhook to give (status, headers), when it sets one. */
  response?: { status?: number; headers?: Record<string, string> };
}

export interface ApprovalDecision {
  nodeId: string;
  approved: boolean;
  /** Free-form data handed to the nodes after the approval. */
  data?: unknown;
  comment?: string;
  by?: string;
}
