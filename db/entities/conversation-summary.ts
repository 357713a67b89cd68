import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { createdAt } from './columns';
import { Workspace } from './workspace';

/** A summary of a session's turns up to `throughTurnId`, written by summary memory; the newest one is used. */
export const ConversationSummary = defineEntity({
  name: 'ConversationSummary',
  tableName: 'conversation_summaries',
  properties: (p) => ({
    id: p.bigint('number').primary().autoincrement(),
    workspace: p.manyToOne(Workspace).ref().nullable().deleteRule('cascade'),
    sessionId: p.text(),
    summary: p.text(),
    /** The newest turn the summary covers; turns after it are not in it. */
    throughTurnId: p.bigint('number'),
    createdAt: createdAt(),
  }),
  indexes: [{ properties: ['workspace', 'sessionId', 'id'] }],
});

export type ConversationSummary = InferEntity<typeof ConversationSummary>;
