import type { ScheduleDescriptionAction, ScheduleOptionsStartWorkflowAction } from '@temporalio/client';
import { z } from 'zod';
import { scheduleTriggerNode } from '../../activities/nodes/schedule-trigger';
import { startNode } from '../../activities/nodes/start';
import type { WorkflowVersion } from '../../db/entities';
import type { ExecutionPlan, InterpretGraphInput } from '../../engine/plan';
import { planRun } from '../../activities/plan-run';
import { KAI_TRIGGER, KAI_WORKFLOW_ID } from '../../platform/search-attributes';
import type { interpretGraph } from '../../workflows';
import { ApiError } from '../http/api-error';
import { routeActivities, type ActivityRoutes } from '../../engine/route-activities';

/** What a schedule starts: the interpreter with a planned version, tagged so its runs can be found and filed. */

/**
 * The memo of every scheduled run. Temporal lists it with the run, so the run indexer files runs it never started
 * (and whose schedule may be gone by then) without another call per run.
 */
export const scheduledRunMemoSchema = z.object({
  workspaceId: z.uuid(),
  workflowId: z.uuid(),
  versionId: z.uuid(),
  versionNumber: z.number().int(),
  scheduleId: z.string(),
  inputs: z.record(z.string(), z.unknown()),
});
export type ScheduledRunMemo = z.infer<typeof scheduledRunMemoSchema>;

const ENTRY_TYPES: readonly string[] = [scheduleTriggerNode.type, startNode.type];

/** Plans the version's graph, which must begin at a Schedule or Start node; `at` locates the version in the request. */
export function planScheduledVersion(version: WorkflowVersion, at: string): ExecutionPlan {
  const plan = planRun(version.graph);
  if (!plan.nodes.some((node) => node.kind === 'start' && ENTRY_TYPES.includes(node.type))) {
    const message = `version ${version.number} has no Schedule or Start node for scheduled runs to begin at`;
    throw new ApiError(400, 'validation_failed', message, [{ path: at, message }]);
  }
  return plan;
}

export interface ScheduleActionOptions {
  scheduleId: string;
  workspaceId: string;
  version: WorkflowVersion;
  plan: ExecutionPlan;
  inputs: Record<string, unknown>;
  taskQueue: string;
  /** Applied when the schedule is written: its runs carry the routes in their plan (see route-activities.ts). */
  activityRoutes?: ActivityRoutes;
}

export function scheduleAction(options: ScheduleActionOptions): ScheduleOptionsStartWorkflowAction<typeof interpretGraph> {
  const { scheduleId, workspaceId, version, inputs, taskQueue } = options;
  const workflowId = version.workflow.id;
  const plan = routeActivities(options.plan, options.activityRoutes ?? {});
  const input: InterpretGraphInput = { plan, inputs, meta: { trigger: 'schedule', workspaceId, workflowId, workflowVersion: version.number } };
  const memo: ScheduledRunMemo = { workspaceId, workflowId, versionId: version.id, versionNumber: version.number, scheduleId, inputs };
  return {
    type: 'startWorkflow',
    workflowType: 'interpretGraph',
    taskQueue,
    // Temporal appends the instant each run was due, which keeps the ids of one schedule's runs apart.
    workflowId: `run-${scheduleId}`,
    args: [input],
    memo: { kai: memo },
    typedSearchAttributes: [
      { key: KAI_TRIGGER, value: 'schedule' },
      { key: KAI_WORKFLOW_ID, value: workflowId },
    ],
  };
}

/** The inputs a schedule gives its runs, read from the action Temporal holds. */
export function scheduledInputs(action: ScheduleDescriptionAction): Record<string, unknown> {
  const parsed = z.object({ inputs: z.record(z.string(), z.unknown()) }).safeParse(action.args?.[0]);
  return parsed.success ? parsed.data.inputs : {};
}

/** The memo of a run a schedule started; undefined for any other run. */
export function readScheduledRunMemo(memo: Record<string, unknown> | undefined): ScheduledRunMemo | undefined {
  const parsed = scheduledRunMemoSchema.safeParse(memo?.kai);
  return parsed.success ? parsed.data : undefined;
}
