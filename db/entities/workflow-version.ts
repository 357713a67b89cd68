import { defineEntity, type InferEntity } from '@mikro-orm/core';
import type { Graph } from '../../engine/graph';
import { createdAt, uuidPrimaryKey } from './columns';
import { User } from './user';
import { Workflow } from './workflow';

/** An immutable snapshot of a workflow's graph, numbered 1, 2, … per workflow; runs point at one. */
export const WorkflowVersion = defineEntity({
  name: 'WorkflowVersion',
  tableName: 'workflow_versions',
  properties: (p) => ({
    id: uuidPrimaryKey(),
    workflow: p.manyToOne(Workflow).ref().deleteRule('cascade'),
    number: p.integer(),
    graph: p.json<Graph>(),
    createdBy: p.manyToOne(User).ref(),
    createdAt: createdAt(),
  }),
  uniques: [{ properties: ['workflow', 'number'] }],
});

export type WorkflowVersion = InferEntity<typeof WorkflowVersion>;
