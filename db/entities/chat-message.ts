import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { CHAT_MESSAGE_STATUSES, type Citation } from '../../engine/chat-reply';
import { ChatSession } from './chat-session';
import { createdAt, uuidPrimaryKey } from './columns';

/**
 * One message of a chat session and the run it started, with the reply written once the run has finished, so a
 * session's history is one query. The run is the record of how the reply came about.
 */
export const ChatMessage = defineEntity({
  name: 'ChatMessage',
  tableName: 'chat_messages',
  properties: (p) => ({
    id: uuidPrimaryKey(),
    session: p.manyToOne(ChatSession).ref().deleteRule('cascade'),
    /** The run's id; plain text, so deleting old runs leaves the conversation as it was. */
    runId: p.text(),
    message: p.text(),
    /** The names of the files sent with the message; their content went to the run only. */
    attachmentNames: p.array().default([]),
    status: p.enum([...CHAT_MESSAGE_STATUSES]),
    reply: p.text().nullable(),
    citations: p.json<Citation[]>().nullable(),
    /** Why no reply came: the run failed, was cancelled or gave no answer. */
    error: p.text().nullable(),
    createdAt: createdAt(),
    answeredAt: p.datetime().nullable(),
  }),
  indexes: [{ properties: ['session', 'createdAt'] }],
});

export type ChatMessage = InferEntity<typeof ChatMessage>;
