import { randomUUID } from 'node:crypto';
import { Workflow, WorkflowVersion } from '../db/entities';
import type { Database } from '../db/orm';
import { graphSchema, type GraphInput } from '../engine/graph';

export interface WorkflowOwner {
  workspaceId: string;
  userId: string;
}

/**
 * A workflow whose versions 1, 2, … hold `graphs`, written straight to the database (no workflow routes
 * involved); with no graph it has no published version.
 */
export async function createPublishedWorkflow(orm: Database, owner: WorkflowOwner, ...graphs: GraphInput[]): Promise<string> {
  const em = orm.em.fork();
  const parsed = graphs.map((graph) => graphSchema.parse(graph));
  const workflow = em.create(Workflow, {
    workspace: owner.workspaceId,
    name: `workflow ${randomUUID().slice(0, 8)}`,
    draftGraph: parsed[parsed.length - 1] ?? { nodes: [], edges: [] },
    createdBy: owner.userId,
  });
  parsed.forEach((graph, index) => em.create(WorkflowVersion, { workflow, number: index + 1, graph, createdBy: owner.userId }));
  await em.flush();
  return workflow.id;
}
