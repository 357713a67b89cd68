import type { ReusedOutcome } from './run-state';

/**
 * How the interpreter treats a node. `task` nodes become one activity each; the other kinds are carried out by the
 * workflow: primitives (durable timers, updates, deterministic branching) that cost no activity round-trip, an
 * `agent` whose every model call and tool call is an activity of its own, and `subworkflow`, a child run of another
 * published workflow.
 */
export type NodeKind = 'start' | 'end' | 'condition' | 'delay' | 'approval' | 'task' | 'agent' | 'subworkflow';

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

export interface PlannedNode {
  id: string;
  type: string;
  version: number;
  label: string;
  kind: NodeKind;
  /** Raw config as saved: templates are resolved by the interpreter when the node starts. */
  config: Record<string, unknown>;
  /** Task nodes: their activity. Agents: the model call's activity. Sub-workflows: the activity that plans the child. */
  activity?: PlannedActivity;
  continueOnError: boolean;
  /** An Agent's tools: the nodes connected to its `tools` handle, which are not part of the flow themselves. */
  tools?: PlannedTool[];
}

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
}
