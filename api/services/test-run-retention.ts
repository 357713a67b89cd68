import type { EntityManager } from '@mikro-orm/postgresql';
import type { ApiServices } from '../services';
import { repeatEvery } from './repeat-every';

/** Test runs are tries, not records: their rows go after KAI_TEST_RUN_RETENTION (default 7 days), production runs stay. */
export const DEFAULT_TEST_RUN_RETENTION_MS = 7 * 86_400_000;
const PRUNE_INTERVAL_MS = 60 * 60_000;

/**
 * Deletes the rows of closed test runs started more than `maxAgeMs` before `now`, with the outputs they stored
 * outside Temporal; resolves with how many runs went. Running ones wait until they close. Temporal keeps their
 * histories as long as the namespace's retention says, as for every run.
 */
export async function pruneTestRuns(em: EntityManager, maxAgeMs: number, now = new Date()): Promise<number> {
  const [{ count }] = await em.getConnection().execute<{ count: number }[]>(
    `with expired as (
       delete from runs where trigger = 'test' and status <> 'running' and started_at < ? returning id
     ), outputs as (
       delete from node_outputs where workflow_id in (select id from expired)
     )
     select count(*)::int as count from expired`,
    [new Date(now.getTime() - maxAgeMs)],
  );
  return count;
}

/** Prunes every hour (the first at once) until the returned function is called (see {@link repeatEvery}). */
export function startTestRunRetention(services: Pick<ApiServices, 'orm' | 'logger' | 'testRunRetentionMs'>): () => Promise<void> {
  const maxAgeMs = services.testRunRetentionMs ?? DEFAULT_TEST_RUN_RETENTION_MS;
  return repeatEvery(
    PRUNE_INTERVAL_MS,
    async () => {
      const deleted = await pruneTestRuns(services.orm.em.fork(), maxAgeMs);
      if (deleted > 0) services.logger.info({ deleted }, 'deleted test runs past their retention');
    },
    (error) => services.logger.error({ err: error }, 'deleting old test runs failed'),
  );
}
