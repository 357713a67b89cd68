import type { ConditionRule } from './conditions';
import type { Duration } from './duration';
import type { NodeError, ReusedOutcome, RunResult } from './run-state';

/**
 * How the interpreter treats a node. `task` nodes become one activity each; the other kinds are carried out by the
 * workflow: primitives (durable timers, updates, deterministic branching) that cost no activity round-trip, an
 * `agent` whose every model call and tool call is an activity of its own, `subworkflow`, a child run of another
 * published workflow, and `for-each`, that workflow once per item of a list, in chunks of child runs.
 */
export type NodeKind = 'start' | 'end' | 'condition' | 'delay' | 'approval' | 'task' | 'agent' | 'subworkflow' | 'for-each';

/** A task node type's activity name, so Temporal Web UI shows which node type ran; also a pure node's key. */
export function activityTypeOf(node: { type: string; version: number }): string {
  return `${node.type}@${node.version}`;
}

/** Durations are in milliseconds here: the planner has already read "30s"-style strings. */
export interface PlannedActivity {
  /** Registered activity name: `<type>@<version>`, so Temporal Web UI shows which node type ran. */
  activityType: string;
  retry: {
    maximumAttempts: number;
    initialInterval?: number;
    backoffCoefficient?: number;
    maximumInterval?: number;
    nonRetryableErrorTypes?: string[];
  };
  timeouts: { startToClose?: number; scheduleToClose?: number; heartbeat?: number };
  /** Set when the node's type is routed to a task queue of its own (see route-activities.ts); else the run's queue. */
  taskQueue?: string;
}

interface PlannedNodeBase {
  id: string;
  type: string;
  version: number;
  label: string;
  continueOnError: boolean;
  /**
   * Set for node types that declare themselves pure (no I/O, no clock, no randomness): the interpreter computes a
   * pure task node itself instead of scheduling its activity, and lists every pure node it computed in the run's
   * current details for Temporal Web UI. Plans made before pure nodes existed lack it, so the runs they started
   * replay with the activities they scheduled.
   */
  pure?: true;
}

/**
 * Configs are as saved: templates are resolved by the interpreter when the node starts, into the types below (the
 * planner checked every field that holds no template; the code reading a templated one checks what it got).
 * Kinds the workflow carries out itself have their schema's defaults filled in, as it has no schema library.
 */
export type EndConfig = { value?: unknown; response?: RunResult['response'] };
export type ConditionConfig = { combine: 'all' | 'any'; rules: ConditionRule[]; onTypeMismatch?: 'false' | 'error' };
export type DelayConfig = { duration: Duration };
export type ApprovalConfig = { message?: string; timeout?: Duration };

export type PlannedNode =
  | (PlannedNodeBase & { kind: 'start'; config: Record<string, never> })
  | (PlannedNodeBase & { kind: 'end'; config: EndConfig })
  | (PlannedNodeBase & { kind: 'condition'; config: ConditionConfig })
  | (PlannedNodeBase & { kind: 'delay'; config: DelayConfig })
  | (PlannedNodeBase & { kind: 'approval'; config: ApprovalConfig })
  | PlannedTaskNode
  /** Its activity is the model call; its tools are the nodes connected to its `tools` handle, not steps of the flow. */
  | (PlannedNodeBase & { kind: 'agent'; config: Record<string, unknown>; activity: PlannedActivity; tools: PlannedTool[] })
  /** Its activity plans the child run. */
  | (PlannedNodeBase & { kind: 'subworkflow'; config: Record<string, unknown>; activity: PlannedActivity })
  /** Its activity plans the called workflow and checks the settings; see workflows/for-each.ts. */
  | (PlannedNodeBase & { kind: 'for-each'; config: Record<string, unknown>; activity: PlannedActivity });

/** The planned node of one kind. */
export type PlannedNodeOf<Kind extends NodeKind> = Extract<PlannedNode, { kind: Kind }>;

/** A node that is one activity, unless it is pure and its input is at hand (see engine/pure-nodes.ts). */
export type PlannedTaskNode = PlannedNodeBase & {
  kind: 'task';
  config: Record<string, unknown>;
  activity: PlannedActivity;
};

/** A node an Agent may call; the model sees it as a function named `toolName` taking `argumentsSchema`. */
export interface PlannedTool {
  id: string;
  type: string;
  version: number;
  label: string;
  kind: 'task' | 'subworkflow';
  config: Record<string, unknown>;
  activity: PlannedActivity;
  /** Unique among the agent's tools; letters, digits, `_` and `-` only, as providers require. */
  toolName: string;
  description: string;
  /** JSON Schema of the arguments, computed by the planner so the workflow needs no schema library. */
  argumentsSchema: Record<string, unknown>;
}

/** An edge with both handles named (defaults filled in by the planner). */
export interface PlannedEdge {
  id: string;
  source: string;
  sourceHandle: string;
  target: string;
  targetHandle: string;
}

/** The validated graph, topologically ordered: the snapshot one run interprets from start to end. */
export interface ExecutionPlan {
  nodes: PlannedNode[];
  edges: PlannedEdge[];
}

export interface RunMetadata {
  /**
   * What started the run: the CLI, the REST API, a webhook, a schedule, a re-run of an earlier run, or another
   * run's "run another workflow" step (a child workflow).
   */
  trigger: 'cli' | 'api' | 'webhook' | 'schedule' | 'rerun' | 'test' | 'workflow';
  workspaceId?: string;
  workflowId?: string;
  workflowVersion?: number;
  startedBy?: string;
  /** The run this one re-runs, from `rerunFromNode` on. */
  rerunOf?: string;
  /** How many "run another workflow" steps led to this run (0 or absent for a run started directly). */
  callDepth?: number;
}

export interface InterpretGraphInput {
  plan: ExecutionPlan;
  inputs: Record<string, unknown>;
  meta: RunMetadata;
  /** Outcomes of nodes upstream of a re-run's starting node, taken from the earlier run instead of running again. */
  reuse?: Record<string, ReusedOutcome>;
  /**
   * Set for a chunk of a For Each node: `plan` (the called workflow) is interpreted once per call, `inputs` unused;
   * the result's output is the calls' {@link ForEachCallOutcome}s.
   */
  forEachChunk?: ForEachChunk;
}

/** One call of the workflow a For Each node runs: one item (`{ item, index }`) or one batch (`{ items, index }`). */
export interface ForEachCall {
  /** The list index of the call's (first) item. */
  index: number;
  inputs: Record<string, unknown>;
}

export interface ForEachChunk {
  calls: ForEachCall[];
  /** Calls of this chunk in flight at once. */
  concurrency: number;
  /** Start no further call after one failed (the For Each node fails on its first failed item). */
  stopOnError: boolean;
}

export type ForEachCallOutcome = { index: number; output: unknown } | { index: number; error: NodeError };
