import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { createdAt } from './columns';
import { Workspace } from './workspace';

/**
 * One message of a conversation kept for a session id (LLM Chat and Agent memory). Rows are written by one node of
 * one run at a time; a retried attempt replaces that writer's rows. The serial id orders the conversation.
 */
export const ConversationTurn = defineEntity({
  name: 'ConversationTurn',
  tableName: 'conversation_turns',
  properties: (p) => ({
    id: p.bigint('number').primary().autoincrement(),
    /** Null for runs outside any workspace (the `kai` CLI). */
    workspace: p.manyToOne(Workspace).ref().nullable().deleteRule('cascade'),
    sessionId: p.text(),
    runId: p.text(),
    nodeId: p.text(),
    role: p.enum(['user', 'assistant'] as const),
    content: p.text(),
    createdAt: createdAt(),
  }),
  indexes: [{ properties: ['workspace', 'sessionId', 'id'] }, { properties: ['runId', 'nodeId'] }],
});

export type ConversationTurn = InferEntity<typeof ConversationTurn>;
