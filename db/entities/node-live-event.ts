import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { createdAt } from './columns';

/**
 * A live event of a running node (an LLM token, an agent step, a retried attempt's stream reset): too many to
 * record in Temporal history, read by the run's event stream. Keyed by Temporal's ids, like node outputs: the
 * activity that writes it knows only those. The serial id is the stream's cursor.
 */
export const NodeLiveEvent = defineEntity({
  name: 'NodeLiveEvent',
  tableName: 'node_live_events',
  properties: (p) => ({
    id: p.bigint('number').primary().autoincrement(),
    workflowId: p.text(),
    runId: p.text(),
    nodeId: p.text(),
    attempt: p.integer(),
    /** Order of the event within its node attempt, from 1. */
    seq: p.integer(),
    type: p.text(),
    data: p.json<unknown>(),
    createdAt: createdAt(),
  }),
  indexes: [{ properties: ['workflowId', 'id'] }, { properties: ['createdAt'] }],
});

export type NodeLiveEvent = InferEntity<typeof NodeLiveEvent>;
