import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { createdAt } from './columns';

/**
 * A node output too large to travel in a Temporal payload. Keyed by Temporal's ids rather than foreign keys: the
 * activity that writes it knows only those, and a row may be written before the run's own row exists.
 */
export const NodeOutput = defineEntity({
  name: 'NodeOutput',
  tableName: 'node_outputs',
  properties: (p) => ({
    /** The reference id the run carries (`db:<uuid>`). */
    id: p.text().primary(),
    /** The writing run's workspace; loads from other workspaces do not find the row. Null for runs outside any. */
    workspaceId: p.uuid().nullable(),
    workflowId: p.text().index(),
    runId: p.text(),
    nodeId: p.text(),
    attempt: p.integer(),
    data: p.json<unknown>(),
    bytes: p.integer(),
    createdAt: createdAt(),
  }),
});

export type NodeOutput = InferEntity<typeof NodeOutput>;
