import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { WebhookDelivery } from '../../db/entities';
import type { Database } from '../../db/orm';
import { webhookDeliveries } from '../../platform/metrics/api-metrics';

export interface DeliveryRecord {
  webhookId: string;
  receivedAt: Date;
  method: string;
  status: number;
  latencyMs: number;
  runId?: string;
  idempotencyKey?: string;
  error?: string;
}

/**
 * Writes one delivery's row once its answer has gone out, so the record costs the sender no time. A failure is
 * logged, never thrown: the delivery itself was already answered.
 */
export async function recordDelivery(orm: Database, logger: Logger, record: DeliveryRecord): Promise<void> {
  webhookDeliveries.inc({ status: String(record.status) });
  try {
    await orm.em.fork().insert(WebhookDelivery, {
      id: randomUUID(),
      webhook: record.webhookId,
      receivedAt: record.receivedAt,
      method: record.method,
      status: record.status,
      latencyMs: Math.round(record.latencyMs),
      runId: record.runId ?? null,
      idempotencyKey: record.idempotencyKey ?? null,
      error: record.error ?? null,
    });
  } catch (error) {
    logger.error({ err: error, status: record.status, runId: record.runId }, 'could not record a webhook delivery');
  }
}
