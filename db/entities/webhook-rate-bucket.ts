import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { Webhook } from './webhook';

/**
 * A webhook's delivery rate-limit token bucket, shared by every API process. Read and written only by the single
 * statement in api/webhooks/rate-limiter.ts, which takes a token under the row's lock; the entity describes the table.
 */
export const WebhookRateBucket = defineEntity({
  name: 'WebhookRateBucket',
  tableName: 'webhook_rate_buckets',
  properties: (p) => ({
    webhook: p.oneToOne(Webhook).primary().ref().deleteRule('cascade'),
    perMinute: p.integer(),
    tokens: p.double(),
    /** Whether the last take found a token. */
    taken: p.boolean(),
    updatedAt: p.datetime(),
  }),
});

export type WebhookRateBucket = InferEntity<typeof WebhookRateBucket>;
