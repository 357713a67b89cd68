/**
 * `not_run`: the run ended (failed, cancelled) before the node's turn came. `cancelled`: the node was running or
 * waiting when the run was cancelled, or when another node's failure ended the run.
 */
export type NodeStatus = 'pending' | 'running' | 'waiting' | 'succeeded' | 'failed' | 'skipped' | 'not_run' | 'cancelled';

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
  /** An Agent's tool: how many of its calls are running, succeeded and failed (its status follows the latest call). */
  toolCalls?: { running: number; succeeded: number; failed: number };
  /** A For Each node: how far its loop is (see engine/for-each-progress.ts). */
  forEach?: ForEachProgress;
}

export type RunStatus = 'running' | 'succeeded' | 'failed' | 'cancelled';

export type RunEventType =
  | 'node.started'
  | 'node.waiting'
  | 'node.succeeded'
  | 'node.failed'
  | 'node.skipped'
  /** The node was running or waiting when the run was cancelled. */
  | 'node.cancelled'
  /** An Agent's model call answered (`nodeId` is the Agent). */
  | 'agent.model'
  /** A tool call of an Agent ended (`nodeId` is the Agent, `toolNodeId` the tool). */
  | 'agent.tool'
  | 'run.succeeded'
  | 'run.failed';

/** One step of a run, numbered in order; a client that reconnects asks for the events after the last it saw. */
export interface RunEvent {
  seq: number;
  at: number;
  type: RunEventType;
  nodeId?: string;
  attempts?: number;
  branch?: string;
  error?: NodeError;
  toolNodeId?: string;
  /** The Agent iteration (model call number, from 1) an agent event belongs to. */
  iteration?: number;
  /** A short account of an agent step (long text cut), for the canvas's step list. */
  summary?: string;
}

/** What a node received and produced; outputs may be references to outputs stored outside Temporal. */
export interface NodeIo {
  input?: unknown;
  output?: unknown;
}

/**
 * A For Each node's loop: calls (one per item, or per batch) run in chunks, one child run each; a call's item index
 * is `call * batchSize`, and chunk `c` carries calls `[chunks[c].firstCall, chunks[c].firstCall + chunks[c].calls)`.
 */
export interface ForEachProgress {
  items: number;
  batchSize: number;
  calls: number;
  running: number;
  succeeded: number;
  failed: number;
  chunks: ForEachChunkProgress[];
  /** Failed calls, by the list index of their (first) item. */
  errors: { index: number; message: string }[];
}

export interface ForEachChunkProgress {
  /** The chunk's child run (a Temporal workflow id). */
  runId: string;
  firstCall: number;
  calls: number;
  status: 'pending' | 'running' | 'completed' | 'failed';
  /** Set when it completed: its first `ran` calls ran (fewer than `calls` when an item failed and the loop stopped). */
  ran?: number;
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

/**
 * The node states of a run that has ended: a node still pending never ran, and one still running or waiting was cut
 * off. The interpreter settles them itself when it fails or is cancelled; a run terminated or timed out never gets
 * the chance, so readers of a closed run settle what it left.
 */
export function settleEndedRun(nodes: Record<string, NodeState>, endedAt: number | undefined): Record<string, NodeState> {
  const settled = (state: NodeState): NodeState => {
    if (state.status === 'pending') return { ...state, status: 'not_run' };
    if (state.status === 'running' || state.status === 'waiting') return { ...state, status: 'cancelled', endedAt: state.endedAt ?? endedAt };
    return state;
  };
  return Object.fromEntries(Object.entries(nodes).map(([id, state]) => [id, settled(state)]));
}
