import { chatMessageBody, chatSessionDetailDto, chatSessionDto, createChatSessionBody } from '../../contract/chat';
import { publicChatParams, publicChatSessionParams } from '../../contract/public-chat';
import { ApiError } from '../http/api-error';
import { defineRoute, Reply } from '../http/define-route';
import { streamChatAnswer } from '../routes/stream-chat-answer';
import { ChatService } from '../services/chat-service';
import { DeliveryRateLimiter } from '../webhooks/rate-limiter';
import { openChatEndpoint, type OpenedChatEndpoint } from './open-chat-endpoint';

const tag = 'Public chat';
const sessions = '/:endpointId/sessions';

/**
 * Takes a token from the endpoint's bucket (shared by every API process, like webhooks'): starting a session and
 * sending a message each cost one, whatever the auth mode, so an open chat cannot be used to run the workflow at will.
 */
async function takeRateToken(limiter: DeliveryRateLimiter, { endpoint }: OpenedChatEndpoint): Promise<void> {
  const retryAfter = await limiter.take(endpoint.id, endpoint.rateLimitPerMinute);
  if (retryAfter > 0) {
    throw new ApiError(429, 'rate_limited', `this chat takes at most ${endpoint.rateLimitPerMinute} requests a minute`, [], { 'retry-after': String(retryAfter) });
  }
}

/**
 * The routes of /api/chat/{endpointId}: the chat API of one published workflow for callers without an account. They
 * reuse ChatService scoped to the endpoint, so a session started here is reachable here only.
 */
export function publicChatRoutes(limiter: DeliveryRateLimiter) {
  return [
    defineRoute({
      method: 'post',
      path: sessions,
      summary: 'Start a chat session with the published workflow behind this public chat',
      tag,
      access: 'public',
      params: publicChatParams,
      body: createChatSessionBody,
      status: 201,
      response: chatSessionDto,
      handler: async (input) => {
        const opened = await openChatEndpoint(input.em, input.params.endpointId, input.request);
        await takeRateToken(limiter, opened);
        const chat = new ChatService({ ...input, principal: opened.principal }, opened.endpoint.id);
        return new Reply(201, await chat.createSession(opened.endpoint.workflow.id, input.body));
      },
    }),
    defineRoute({
      method: 'get',
      path: `${sessions}/:sessionId`,
      summary: "A session started through this public chat, with its history",
      tag,
      access: 'public',
      params: publicChatSessionParams,
      response: chatSessionDetailDto,
      handler: async (input) => {
        const opened = await openChatEndpoint(input.em, input.params.endpointId, input.request);
        return new ChatService({ ...input, principal: opened.principal }, opened.endpoint.id).getSession(opened.endpoint.workflow.id, input.params.sessionId);
      },
    }),
    defineRoute({
      method: 'post',
      path: `${sessions}/:sessionId/messages`,
      summary: 'Send a message to the published workflow: the answer streams as the signed-in chat route’s does, and a client that leaves loses nothing',
      tag,
      access: 'public',
      params: publicChatSessionParams,
      body: chatMessageBody,
      streams: true,
      handler: async (input) => {
        const opened = await openChatEndpoint(input.em, input.params.endpointId, input.request);
        await takeRateToken(limiter, opened);
        const chat = new ChatService({ ...input, principal: opened.principal }, opened.endpoint.id);
        const sent = await chat.send(opened.endpoint.workflow.id, input.params.sessionId, input.body, false);
        await streamChatAnswer(input.services, input.response, input.params.sessionId, sent);
      },
    }),
  ];
}
