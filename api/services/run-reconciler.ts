import type { FilterQuery } from '@mikro-orm/postgresql';
import { Run } from '../../db/entities';
import type { ApiServices } from '../services';
import { repeatEvery } from './repeat-every';
import { refreshRuns } from './run-refresh';

/** Rows read from the index per round trip. */
const BATCH_SIZE = 100;

export interface ReconcileSummary {
  /** Rows that were `running` in the index. */
  checked: number;
  /** Rows whose status, result or Temporal run id changed. */
  updated: number;
}

/**
 * Makes the run index agree with Temporal: every row still `running` is checked, and the runs that closed (while no
 * API was there to see it, say) get their final status, result or error, and end time; rows whose start Temporal
 * never accepted are marked failed. Every workspace's runs, oldest first.
 */
export async function reconcileRuns(services: Pick<ApiServices, 'orm' | 'temporal' | 'logger'>): Promise<ReconcileSummary> {
  const summary: ReconcileSummary = { checked: 0, updated: 0 };
  let after: Pick<Run, 'startedAt' | 'id'> | undefined;
  for (;;) {
    const em = services.orm.em.fork();
    const where: FilterQuery<Run> = { status: 'running' };
    if (after) where.$or = [{ startedAt: { $gt: after.startedAt } }, { startedAt: after.startedAt, id: { $gt: after.id } }];
    const rows = await em.find(Run, where, { orderBy: { startedAt: 'asc', id: 'asc' }, limit: BATCH_SIZE });
    summary.checked += rows.length;
    summary.updated += await refreshRuns({ em, client: services.temporal.client, logger: services.logger }, rows);
    if (rows.length < BATCH_SIZE) return summary;
    after = rows[rows.length - 1];
  }
}

/** Reconciles every `intervalMs` (the first pass at once) until the returned function is called (see {@link repeatEvery}). */
export function startRunReconciler(services: Pick<ApiServices, 'orm' | 'temporal' | 'logger'>, intervalMs: number): () => Promise<void> {
  return repeatEvery(
    intervalMs,
    async () => {
      const summary = await reconcileRuns(services);
      if (summary.updated > 0) services.logger.info(summary, 'run index reconciled with Temporal');
    },
    (error) => services.logger.error({ err: error }, 'reconciling the run index failed'),
  );
}
