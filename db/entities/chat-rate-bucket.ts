import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { ChatEndpoint } from './chat-endpoint';

/**
 * A public chat endpoint's message rate-limit token bucket, shared by every API process; the same statement as
 * webhooks' (api/webhooks/rate-limiter.ts) takes from it. The entity describes the table.
 */
export const ChatRateBucket = defineEntity({
  name: 'ChatRateBucket',
  tableName: 'chat_rate_buckets',
  properties: (p) => ({
    endpoint: p.oneToOne(ChatEndpoint).primary().ref().deleteRule('cascade'),
    perMinute: p.integer(),
    tokens: p.double(),
    /** Whether the last take found a token. */
    taken: p.boolean(),
    updatedAt: p.datetime(),
  }),
});

export type ChatRateBucket = InferEntity<typeof ChatRateBucket>;
