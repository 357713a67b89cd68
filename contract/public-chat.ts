import { z } from 'zod';
import { CHAT_ENDPOINT_AUTH_MODES } from '../db/entities/chat-endpoint';

/**
 * Request and response shapes of the public chat endpoints (/api/chat/{endpointId}) and of their management under
 * /api/v1/workflows/{id}/chat/endpoints and /api/v1/chat-endpoints/{endpointId}. Sessions and messages reuse the shapes of contract/chat.ts.
 */

export const chatEndpointIdSchema = z.string().regex(/^chat_[A-Za-z0-9_-]{43}$/, 'must be a public chat id (chat_…)');

export const publicChatParams = z.object({ endpointId: chatEndpointIdSchema }).strict();
export const publicChatSessionParams = z.object({ endpointId: chatEndpointIdSchema, sessionId: z.uuid('must be a chat session id (a uuid)') }).strict();

export const chatEndpointParams = z.object({ endpointId: chatEndpointIdSchema }).strict();

export const chatEndpointDto = z.object({
  id: chatEndpointIdSchema,
  nodeId: z.string().describe('the Chat trigger node it feeds'),
  enabled: z.boolean(),
  authMode: z.enum(CHAT_ENDPOINT_AUTH_MODES),
  hasToken: z.boolean().describe('token mode refuses every caller until a token is issued'),
  rateLimitPerMinute: z.number(),
  allowedOrigins: z.array(z.string()),
  apiPath: z.string().describe('/api/chat/{id}: POST sessions, GET sessions/{sid}, POST sessions/{sid}/messages'),
  pagePath: z.string().describe('/chat/{id}: the embeddable chat page'),
});
export type ChatEndpointDto = z.infer<typeof chatEndpointDto>;

export const chatEndpointListDto = z.object({ items: z.array(chatEndpointDto) });
export const issuedChatTokenDto = z.object({ token: z.string().describe('shown once: only its hash is kept') });
