import { z } from 'zod';
import { nodeIdSchema } from '../../engine/graph';
import { defineControlNode } from '../node-definition';

/** What one chat message gives its run; the chat API checks it (contract/chat.ts) before a run starts. */
export const chatAttachmentSchema = z
  .object({
    name: z.string().trim().min(1).max(200),
    format: z.enum(['text', 'markdown', 'html', 'json', 'pdf']).describe("how a Document Loader reads it (its `format`)"),
    content: z.string().min(1, 'must not be empty').max(700_000, 'must be at most 700000 characters (about 512 KB of base64)').describe('base64'),
  })
  .strict();
export type ChatAttachment = z.infer<typeof chatAttachmentSchema>;

export const chatTriggerNode = defineControlNode({
  kind: 'start',
  type: 'chat-trigger',
  version: 1,
  category: 'trigger',
  label: 'Chat',
  description:
    'Entry of runs started by a chat message (the chat panel, /api/v1/workflows/<id>/chat or a public chat page). Its output ' +
    "is the message, the chat session's id and any attachments (base64, for a Document Loader: {{ input.attachments[0].content }}). " +
    "The reply is the answer node's output (its `answer` or `text`; `citations` when it has them), its tokens streamed. " +
    'Give LLM Chat and Agent nodes memory with session id {{ input.sessionId }} so the conversation carries across messages.',
  config: z
    .object({
      answerNode: nodeIdSchema.optional().describe('the node whose streamed tokens and output are the reply (default: the node feeding the End node)'),
      authMode: z.enum(['token', 'none']).default('token').describe('the public chat address (/chat/<id>, given on publish): a bearer token, or open to anyone within the rate limit'),
      rateLimitPerMinute: z.number().int().min(1).max(10_000).default(30).describe('messages a minute the public chat address takes, from everyone together'),
      allowedOrigins: z
        .array(z.string().regex(/^https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?$/, 'must be an origin such as https://example.com'))
        .max(20)
        .default([])
        .describe('sites that may embed the public chat page and call its API from a browser'),
    })
    .strict(),
  output: z.object({
    sessionId: z.string(),
    message: z.string(),
    attachments: z.array(chatAttachmentSchema).optional(),
  }),
  inputs: [],
  outputs: [{ id: 'out', label: 'Message' }],
});
