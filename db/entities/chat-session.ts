import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { ChatEndpoint } from './chat-endpoint';
import { createdAt, uuidPrimaryKey } from './columns';
import { Workflow } from './workflow';
import { Workspace } from './workspace';

/**
 * A conversation with a workflow that has a Chat trigger. Its id is the session id its runs get as input, which their
 * LLM and Agent nodes use as their memory's session, so the conversation's memory lives in `conversation_turns`.
 */
export const ChatSession = defineEntity({
  name: 'ChatSession',
  tableName: 'chat_sessions',
  properties: (p) => ({
    id: uuidPrimaryKey(),
    workspace: p.manyToOne(Workspace).ref().deleteRule('cascade'),
    workflow: p.manyToOne(Workflow).ref().deleteRule('cascade'),
    /** Set for sessions started through a public chat endpoint: only that endpoint reaches them publicly. */
    endpoint: p.manyToOne(ChatEndpoint).ref().nullable().deleteRule('cascade'),
    title: p.text(),
    createdAt: createdAt(),
  }),
  indexes: [{ properties: ['workflow', 'createdAt'] }],
});

export type ChatSession = InferEntity<typeof ChatSession>;
