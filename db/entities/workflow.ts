import { defineEntity, type InferEntity } from '@mikro-orm/core';
import type { Graph } from '../../engine/graph';
import { createdAt, updatedAt, uuidPrimaryKey } from './columns';
import { User } from './user';
import { Workspace } from './workspace';

/** A workflow as people edit it: the draft graph changes freely; runs use published {@link WorkflowVersion}s. */
export const Workflow = defineEntity({
  name: 'Workflow',
  tableName: 'workflows',
  properties: (p) => ({
    id: uuidPrimaryKey(),
    workspace: p.manyToOne(Workspace).ref().deleteRule('cascade'),
    name: p.text(),
    description: p.text().default(''),
    tags: p.array().default([]),
    draftGraph: p.json<Graph>(),
    createdBy: p.manyToOne(User).ref(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  }),
  indexes: [
    {
      // Serves the workflow list, last edited first, paged by the (updated_at, id) of the last row seen.
      name: 'workflows_workspace_updated_at_id_index',
      expression: 'create index "workflows_workspace_updated_at_id_index" on "workflows" ("workspace_id", "updated_at" desc, "id" desc)',
    },
  ],
});

export type Workflow = InferEntity<typeof Workflow>;
