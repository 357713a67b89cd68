import type { ReusedOutcome } from './run-state';

/**
 * How the interpreter treats a node. Only `task` nodes become activities; the others are workflow primitives
 * (durable timers, updates, deterministic branching) that cost no activity round-trip.
 */
export type NodeKind = 'start' | 'end' | 'condition' | 'delay' | 'approval' | 'task';

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
}

export interface PlannedNode {
  id: string;
  type: string;
  version: number;
  label: string;
  kind: NodeKind;
  /** Raw config as saved: templates are resolved by the interpreter when the node starts. */
  config: Record<string, unknown>;
  activity?: PlannedActivity;
  continueOnError: boolean;
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
  /** What started the run: the CLI, the REST API, a webhook, a schedule, or a re-run of an earlier run. */
  trigger: 'cli' | 'api' | 'webhook' | 'schedule' | 'rerun' | 'test';
  workspaceId?: string;
  workflowId?: string;
  workflowVersion?: number;
  startedBy?: string;
  /** The run this one re-runs, from `rerunFromNode` on. */
  rerunOf?: string;
}

export interface InterpretGraphInput {
  plan: ExecutionPlan;
  inputs: Record<string, unknown>;
  meta: RunMetadata;
  /** Outcomes of nodes upstream of a re-run's starting node, taken from the earlier run instead of running again. */
  reuse?: Record<string, ReusedOutcome>;
}
