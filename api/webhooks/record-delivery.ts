import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Database } from '../../db/orm';
import type { RunResult } from '../../engine/run-state';
import { runsFinished, webhookDeliveries } from '../../platform/metrics/api-metrics';
import { succeededRunUpdate } from '../services/run-rows';

export interface DeliveryRecord {
  webhookId: string;
  receivedAt: Date;
  method: string;
  status: number;
  latencyMs: number;
  runId?: string;
  idempotencyKey?: string;
  error?: string;
  /** A sync delivery's run result, answered to the sender: the run's row is marked succeeded with it. */
  runResult?: RunResult;
}

const INSERT_DELIVERY =
  'insert into webhook_deliveries (id, webhook_id, received_at, method, status, latency_ms, run_id, idempotency_key, error) values (?, ?, ?, ?, ?, ?, ?, ?, ?)';

/**
 * Writes one delivery's row once its answer has gone out, so the record costs the sender no time; with a sync
 * delivery's result, the same statement marks its run succeeded, so the run index needs no later round trip to
 * Temporal for it. A failure is logged, never thrown: the delivery itself was already answered. Plain SQL: this runs
 * for every delivery, and the entity manager would add its metadata and unit-of-work bookkeeping to each.
 */
export async function recordDelivery(orm: Database, logger: Logger, record: DeliveryRecord): Promise<void> {
  webhookDeliveries.inc({ status: String(record.status) });
  const delivery = [randomUUID(), record.webhookId, record.receivedAt, record.method, record.status, Math.round(record.latencyMs), record.runId ?? null, record.idempotencyKey ?? null, record.error ?? null];
  try {
    if (record.runResult && record.runId) {
      const finished = succeededRunUpdate(record.runId, record.runResult, new Date());
      await orm.em.getConnection().execute(`with finished as (${finished.sql}) ${INSERT_DELIVERY}`, [...finished.params, ...delivery], 'run');
      runsFinished.inc({ trigger: 'webhook', status: 'succeeded' });
    } else await orm.em.getConnection().execute(INSERT_DELIVERY, delivery, 'run');
  } catch (error) {
    logger.error({ err: error, status: record.status, runId: record.runId }, 'could not record a webhook delivery');
  }
}
