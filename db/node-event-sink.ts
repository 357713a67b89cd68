import type { EntityManager } from '@mikro-orm/core';
import type { NodeEventSink, NodeLiveEvent as LiveEvent } from '../activities/services/node-event-sink';
import { NodeLiveEvent } from './entities';

/** Tokens arrive far faster than rows are worth writing one by one: they are written together this often. */
export const FLUSH_INTERVAL_MS = 100;

/** Node attempts whose event numbering is remembered; older ones are forgotten (their attempts are long over). */
const REMEMBERED_ATTEMPTS = 10_000;

type Row = Omit<NodeLiveEvent, 'id'>;

/**
 * Live events into `node_live_events`, buffered and written every {@link FLUSH_INTERVAL_MS} and whenever a node
 * flushes at the end of its attempt. A failed write is logged by the caller's flush and costs those events only:
 * live events are a view of the run, never part of its outcome.
 */
export class DbNodeEventSink implements NodeEventSink {
  private buffer: Row[] = [];
  private readonly seqs = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();

  constructor(private readonly em: EntityManager) {}

  publish(run: { workflowId: string; runId: string }, event: LiveEvent): void {
    const key = `${run.workflowId}\n${run.runId}\n${event.nodeId}\n${event.attempt}`;
    const seq = (this.seqs.get(key) ?? 0) + 1;
    this.seqs.delete(key);
    this.seqs.set(key, seq);
    if (this.seqs.size > REMEMBERED_ATTEMPTS) this.seqs.delete(this.seqs.keys().next().value as string);
    this.buffer.push({ workflowId: run.workflowId, runId: run.runId, nodeId: event.nodeId, attempt: event.attempt, seq, type: event.type, data: event.data ?? null, createdAt: new Date() });
    this.timer ??= setTimeout(() => void this.flush().catch(() => undefined), FLUSH_INTERVAL_MS).unref();
  }

  /** Writes everything published so far; resolves once it is stored (writes stay in publishing order). */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const rows = this.buffer;
    this.buffer = [];
    this.writing = this.writing.catch(() => undefined).then(async () => {
      if (rows.length > 0) await this.em.fork().insertMany<NodeLiveEvent>(NodeLiveEvent, rows as NodeLiveEvent[]);
    });
    return this.writing;
  }
}
