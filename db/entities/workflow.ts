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
    workspace: p.manyToOne(Workspace).ref().deleteRule('cascade').index(),
    name: p.text(),
    description: p.text().default(''),
    tags: p.array().default([]),
    draftGraph: p.json<Graph>(),
    createdBy: p.manyToOne(User).ref(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  }),
});

export type Workflow = InferEntity<typeof Workflow>;
