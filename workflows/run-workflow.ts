import { ApplicationFailure, ChildWorkflowFailure, executeChild, isCancellation, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { PlannedChildRun, PlanWorkflowInput } from '../activities/plan-workflow';
import type { PlannedActivity, RunMetadata } from '../engine/plan';
import { KAI_TRIGGER, KAI_WORKFLOW_ID } from '../platform/search-attributes';
import type { interpretGraph } from './interpret-graph';

export interface ChildRunRequest {
  node: { id: string; label: string };
  /** The activity that plans the child (the Run Workflow node's Reliability settings apply to it). */
  activity: PlannedActivity;
  config: Record<string, unknown>;
  toolArguments?: Record<string, unknown>;
  meta: RunMetadata;
  /** Unique within the run: the child's workflow id is the run's id followed by it. */
  callId: string;
  /** What is left of an Agent's time budget, which bounds the whole child run. */
  budgetMs?: number;
}

export interface ChildRunOutput {
  output: unknown;
  runId: string;
  workflowId: string;
  version: number;
}

/**
 * "Run another workflow": an activity plans the published workflow (it reads the database), then the child runs as
 * a Temporal child workflow of this run, with a history of its own, cancelled when this run is.
 */
export async function runChildWorkflow(request: ChildRunRequest): Promise<ChildRunOutput> {
  const { activity, meta } = request;
  const activities = proxyActivities<Record<string, (input: PlanWorkflowInput) => Promise<PlannedChildRun>>>({
    activityId: `${request.callId}.plan`,
    summary: request.node.label,
    taskQueue: activity.taskQueue,
    startToCloseTimeout: activity.timeouts.startToClose,
    scheduleToCloseTimeout: minimum(activity.timeouts.scheduleToClose, request.budgetMs),
    retry: activity.retry,
  });
  const callDepth = meta.callDepth ?? 0;
  const planned = await activities[activity.activityType]({
    node: request.node,
    workspaceId: meta.workspaceId,
    config: request.config,
    toolArguments: request.toolArguments,
    callDepth,
  });
  const runId = `${workflowInfo().workflowId}.${request.callId}`;
  try {
    const result = await executeChild<typeof interpretGraph>('interpretGraph', {
      workflowId: runId,
      workflowExecutionTimeout: request.budgetMs,
      // Tagged like every run, so the child shows up when Temporal Web UI filters the called workflow's runs.
      typedSearchAttributes: [
        { key: KAI_TRIGGER, value: 'workflow' },
        { key: KAI_WORKFLOW_ID, value: planned.workflowId },
      ],
      args: [
        {
          plan: planned.plan,
          inputs: planned.inputs,
          meta: { trigger: 'workflow', workspaceId: meta.workspaceId, workflowId: planned.workflowId, workflowVersion: planned.version, startedBy: meta.startedBy, callDepth: callDepth + 1 },
        },
      ],
    });
    return { output: result.output, runId, workflowId: planned.workflowId, version: planned.version };
  } catch (error) {
    if (isCancellation(error) || !(error instanceof ChildWorkflowFailure)) throw error;
    throw ApplicationFailure.create({
      message: `run ${runId} of workflow ${planned.workflowId} (version ${planned.version}) failed: ${error.cause?.message ?? error.message}`,
      type: 'ChildWorkflowFailed',
      nonRetryable: true,
    });
  }
}

function minimum(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b;
  return b === undefined ? a : Math.min(a, b);
}
