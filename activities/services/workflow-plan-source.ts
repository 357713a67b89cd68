import type { ExecutionPlan } from '../../engine/plan';

/** Plans another workflow of the same workspace for a child run ("run another workflow"). */
export interface WorkflowPlanSource {
  planPublished(workspaceId: string, workflowId: string): Promise<{ plan: ExecutionPlan; workflowId: string; version: number }>;
}
