import type { EntityManager } from '@mikro-orm/postgresql';
import type { LiveEventDto } from '../../contract/runs';
import { NodeLiveEvent } from '../../db/entities';
import type { ApiServices } from '../services';
import { repeatEvery } from './repeat-every';

export interface LiveEventSelection {
  /** The run's Temporal workflow id. */
  workflowId: string;
  after: number;
  limit: number;
  nodeId?: string;
}

/** A run's live events after a cursor, oldest first (see `liveEventDto` in the runs contract). */
export async function readLiveEvents(em: EntityManager, selection: LiveEventSelection): Promise<LiveEventDto[]> {
  const rows = await em.find(
    NodeLiveEvent,
    { workflowId: selection.workflowId, id: { $gt: selection.after }, ...(selection.nodeId ? { nodeId: selection.nodeId } : {}) },
    { orderBy: { id: 'asc' }, limit: selection.limit },
  );
  return rows.map((row) => ({
    id: row.id,
    nodeId: row.nodeId,
    attempt: row.attempt,
    seq: row.seq,
    type: row.type as LiveEventDto['type'],
    data: row.data,
    at: row.createdAt.toISOString(),
  }));
}

/** Live events read per query while a run's event stream catches up. */
const LIVE_EVENT_PAGE = 500;

/** Where a run's event stream reads the run's live events from: the database, a page at a time, each read in a fork. */
export function liveEventSource(services: Pick<ApiServices, 'orm'>, runId: string): (after: number) => Promise<LiveEventDto[]> {
  return (after) => readLiveEvents(services.orm.em.fork(), { workflowId: runId, after, limit: LIVE_EVENT_PAGE });
}

/** Live events are a view of a run while it runs; after this long they are deleted. */
export const LIVE_EVENT_RETENTION = { maxAgeDays: 7, intervalMs: 60 * 60_000 };

export async function pruneLiveEvents(em: EntityManager, maxAgeDays: number, now = new Date()): Promise<number> {
  return em.nativeDelete(NodeLiveEvent, { createdAt: { $lt: new Date(now.getTime() - maxAgeDays * 86_400_000) } });
}

/** Prunes every `intervalMs` (the first at once) until the returned function is called (see {@link repeatEvery}). */
export function startLiveEventRetention(services: Pick<ApiServices, 'orm' | 'logger'>, options: Partial<typeof LIVE_EVENT_RETENTION> = {}): () => Promise<void> {
  const settings = { ...LIVE_EVENT_RETENTION, ...options };
  return repeatEvery(
    settings.intervalMs,
    async () => {
      const deleted = await pruneLiveEvents(services.orm.em.fork(), settings.maxAgeDays);
      if (deleted > 0) services.logger.info({ deleted }, 'pruned old live events');
    },
    (error) => services.logger.error({ err: error }, 'pruning live events failed'),
  );
}
