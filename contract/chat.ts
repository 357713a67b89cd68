import { z } from 'zod';
import { chatAttachmentSchema } from '../activities/nodes/chat-trigger';
import { CHAT_MESSAGE_STATUSES } from '../engine/chat-reply';

/**
 * Request and response shapes of /api/v1/workflows/{id}/chat: sessions with a workflow that has a Chat trigger,
 * and their messages, each answered by a run. Shared by the server and the canvas's chat panel.
 */

/** A message longer than this is refused (400 naming body.message): it would be a document, not a chat line. */
export const MAX_CHAT_MESSAGE_CHARS = 32_000;
export const MAX_CHAT_ATTACHMENTS = 5;

export const chatSessionParams = z.object({ workflowId: z.uuid(), sessionId: z.uuid('must be a chat session id (a uuid)') }).strict();
export const chatWorkflowParams = z.object({ workflowId: z.uuid() }).strict();

export const createChatSessionBody = z
  .object({ title: z.string().trim().min(1).max(200).optional().describe('default: "Chat" and the time it began') })
  .strict()
  .default({});
export type CreateChatSessionBody = z.infer<typeof createChatSessionBody>;

export const chatMessageBody = z
  .object({
    message: z.string().trim().min(1, 'must not be empty').max(MAX_CHAT_MESSAGE_CHARS, `must be at most ${MAX_CHAT_MESSAGE_CHARS} characters`),
    attachments: z.array(chatAttachmentSchema).max(MAX_CHAT_ATTACHMENTS, `at most ${MAX_CHAT_ATTACHMENTS} files per message`).optional(),
  })
  .strict();
export type ChatMessageBody = z.infer<typeof chatMessageBody>;

export const chatMessageQuery = z
  .object({ draft: z.stringbool().default(false).describe("run the draft (as a test run) instead of the latest published version") })
  .strict();

export const citationDto = z.object({ n: z.number(), text: z.string(), source: z.string().optional(), chunkId: z.string().optional() });

export const chatSessionDto = z.object({ id: z.uuid(), workflowId: z.uuid(), title: z.string(), createdAt: z.iso.datetime() });
export type ChatSessionDto = z.infer<typeof chatSessionDto>;

export const chatMessageDto = z.object({
  id: z.uuid(),
  runId: z.string().describe('the run that answered it: GET /api/v1/runs/{runId}'),
  message: z.string(),
  attachments: z.array(z.string()).describe('the names of the files sent with it'),
  status: z.enum(CHAT_MESSAGE_STATUSES),
  reply: z.string().nullable().describe('null until the run has answered'),
  citations: z.array(citationDto),
  error: z.string().nullable(),
  createdAt: z.iso.datetime(),
  answeredAt: z.iso.datetime().nullable(),
});
export type ChatMessageDto = z.infer<typeof chatMessageDto>;

export const chatSessionListDto = z.object({ items: z.array(chatSessionDto) });
export const chatSessionDetailDto = chatSessionDto.extend({ messages: z.array(chatMessageDto).describe('oldest first') });
export type ChatSessionDetailDto = z.infer<typeof chatSessionDetailDto>;

/** The last event of a message's stream: the reply as the session's history keeps it. */
export const chatAnswerEventDto = chatMessageDto;
