import type { EntityManager } from '@mikro-orm/postgresql';
import type { NodeAttemptEnded } from '../../activities/services/node-event-sink';
import { NodeLiveEvent } from '../../db/entities';
import type { NodeAttemptDto } from '../../contract/runs';

/**
 * The attempts a run's nodes told of (`node.attempt` live events, see executeNode), by node id, oldest first. Nodes
 * that ran once and succeeded told nothing: their state says all there is.
 */
export async function readAttemptLogs(em: EntityManager, runId: string): Promise<Map<string, NodeAttemptDto[]>> {
  const rows = await em.find(NodeLiveEvent, { workflowId: runId, type: 'node.attempt' }, { orderBy: { id: 'asc' } });
  const logs = new Map<string, NodeAttemptDto[]>();
  for (const row of rows) {
    const ended = row.data as NodeAttemptEnded;
    const log = logs.get(row.nodeId) ?? [];
    log.push({ attempt: row.attempt, status: ended.status, durationMs: ended.durationMs, error: ended.error, endedAt: row.createdAt.toISOString() });
    logs.set(row.nodeId, log);
  }
  return logs;
}
