import type { Response } from 'express';
import type { ApiServices } from '../services';
import type { SentMessage } from '../services/chat-service';
import { streamRunEvents } from '../services/run-events';
import { liveEventSource } from '../services/run-live-events';

/**
 * A sent message's answer as Server-Sent Events: `chat.message`, the run's events, then `answer`. Shared by the
 * signed-in chat routes and the public chat endpoint. The reply is written whether or not the client stays to hear it.
 */
export async function streamChatAnswer(services: ApiServices, response: Response, sessionId: string, sent: SentMessage): Promise<void> {
  sent.reply.catch((error: unknown) => services.logger.error({ err: error, runId: sent.run.id }, 'recording a chat reply failed; reading the session settles it'));
  await streamRunEvents({
    client: services.temporal.client,
    run: sent.run,
    afterSeq: 0,
    liveEvents: liveEventSource(services, sent.run.id),
    response,
    logger: services.logger,
    opening: { type: 'chat.message', data: { type: 'chat.message', ...sent.message, sessionId, answerNode: sent.answerNode ?? null } },
    closing: async () => ({ type: 'answer', data: { type: 'answer', ...(await sent.reply) } }),
  });
}
