import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { uuidPrimaryKey } from './columns';
import { Webhook } from './webhook';

/** One request to a webhook endpoint and what it was answered; old rows are deleted by retention. */
export const WebhookDelivery = defineEntity({
  name: 'WebhookDelivery',
  tableName: 'webhook_deliveries',
  properties: (p) => ({
    id: uuidPrimaryKey(),
    webhook: p.manyToOne(Webhook).ref().deleteRule('cascade'),
    receivedAt: p.datetime(),
    method: p.text(),
    status: p.integer(),
    latencyMs: p.integer(),
    runId: p.text().nullable(),
    idempotencyKey: p.text().nullable(),
    error: p.text().nullable(),
  }),
  indexes: [{ properties: ['webhook', 'receivedAt'] }, { properties: ['receivedAt'] }],
});

export type WebhookDelivery = InferEntity<typeof WebhookDelivery>;
