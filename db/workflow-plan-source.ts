import type { EntityManager } from '@mikro-orm/core';
import { notRunnable } from '../activities/plan-workflow';
import type { WorkflowPlanSource } from '../activities/services/workflow-plan-source';
import { GraphValidationError } from '../engine/graph-problem';
import type { ExecutionPlan } from '../engine/plan';
import { planRun } from '../activities/plan-run';
import type { ActivityRoutes } from '../engine/route-activities';
import { Workflow, WorkflowVersion } from './entities';
import { isUuid } from './entities/columns';

/**
 * The latest published version of a workflow of the workspace, planned exactly as the API plans a run of it. A
 * workflow that cannot run fails the same way on every attempt, so those failures are final.
 */
export class DbWorkflowPlanSource implements WorkflowPlanSource {
  constructor(
    private readonly em: EntityManager,
    private readonly activityRoutes: ActivityRoutes = {},
  ) {}

  async planPublished(workspaceId: string, workflowId: string): Promise<{ plan: ExecutionPlan; workflowId: string; version: number }> {
    const em = this.em.fork();
    const workflow = isUuid(workflowId) ? await em.findOne(Workflow, { id: workflowId, workspace: workspaceId }) : null;
    if (!workflow) throw notRunnable(`workflow ${workflowId} does not exist in this workspace`);
    const version = await em.findOne(WorkflowVersion, { workflow }, { orderBy: { number: 'desc' } });
    if (!version) throw notRunnable(`workflow "${workflow.name}" has no published version: publish it before running it from another workflow`);
    try {
      return { plan: planRun(version.graph, this.activityRoutes), workflowId: workflow.id, version: version.number };
    } catch (error) {
      if (!(error instanceof GraphValidationError)) throw error;
      throw notRunnable(`version ${version.number} of workflow "${workflow.name}" cannot run: ${error.message}`);
    }
  }
}
