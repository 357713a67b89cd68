import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
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
 * logged, never thrown: the delivery itself was already answered. Plain SQL: this runs for every delivery, and the
 * entity manager would add its metadata and unit-of-work bookkeeping to each.
 */
export async function recordDelivery(orm: Database, logger: Logger, record: DeliveryRecord): Promise<void> {
  webhookDeliveries.inc({ status: String(record.status) });
  try {
    await orm.em
      .getConnection()
      .execute(
        'insert into webhook_deliveries (id, webhook_id, received_at, method, status, latency_ms, run_id, idempotency_key, error) values (?, ?, ?, ?, ?, ?, ?, ?, ?)',
        [randomUUID(), record.webhookId, record.receivedAt, record.method, record.status, Math.round(record.latencyMs), record.runId ?? null, record.idempotencyKey ?? null, record.error ?? null],
        'run',
      );
  } catch (error) {
    logger.error({ err: error, status: record.status, runId: record.runId }, 'could not record a webhook delivery');
  }
}
