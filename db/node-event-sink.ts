import type { EntityManager } from '@mikro-orm/postgresql';
import type { NodeEventSink, NodeLiveEvent as LiveEvent } from '../activities/services/node-event-sink';
import { NodeLiveEvent } from './entities';

/** Tokens arrive far faster than rows are worth writing one by one: they are written together this often. */
export const FLUSH_INTERVAL_MS = 100;

/**
 * The first key of the two-key advisory locks that order live-event writes per run; the second is the run's workflow
 * id hashed (two-key locks never conflict with the one-key lock of migrations).
 */
export const LIVE_EVENT_LOCK_CLASS = 7_390_001;

/** Node attempts whose event numbering is remembered; older ones are forgotten (their attempts are long over). */
const REMEMBERED_ATTEMPTS = 10_000;

type Row = Omit<NodeLiveEvent, 'id'>;

/**
 * Live events into `node_live_events`: the first after a quiet spell at once, those after it every
 * {@link FLUSH_INTERVAL_MS}, and whatever is left when a node flushes at the end of its attempt. A failed write is
 * logged by the caller's flush and costs those events only: live events are a view of the run, never part of its
 * outcome.
 *
 * Readers follow a run by row id (the SSE cursor), so a run's rows must become visible in id order: otherwise a row
 * committed late behind a higher id, by another worker running a parallel branch, would be passed over for good.
 * Each write holds its runs' advisory locks until it commits, so writers of one run take their ids one after another.
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
    if (this.timer !== undefined) return;
    // The first event after a quiet spell is written at once (a stream's first token should not wait for the
    // interval); those that follow it within the interval go together.
    void this.flush().catch(() => undefined);
    this.batchFor(FLUSH_INTERVAL_MS);
  }

  /** Writes what the interval gathered at its end, and keeps batching while events keep coming. */
  private batchFor(ms: number): void {
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.buffer.length === 0) return;
      void this.flush().catch(() => undefined);
      this.batchFor(ms);
    }, ms).unref();
  }

  /** Writes everything published so far; resolves once it is stored (writes stay in publishing order). */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const rows = this.buffer;
    this.buffer = [];
    this.writing = this.writing.catch(() => undefined).then(async () => {
      if (rows.length === 0) return;
      await this.em.fork().transactional(async (tx) => {
        await lockLiveEventStreams(tx, rows.map((row) => row.workflowId));
        await tx.insertMany<NodeLiveEvent>(NodeLiveEvent, rows as NodeLiveEvent[]);
      });
    });
    return this.writing;
  }
}

/** Takes, until the transaction ends, the live-event write lock of each run (in one order, so writers never deadlock). */
export async function lockLiveEventStreams(tx: EntityManager, workflowIds: readonly string[]): Promise<void> {
  for (const workflowId of [...new Set(workflowIds)].sort()) {
    await tx.execute('select pg_advisory_xact_lock(?, hashtext(?))', [LIVE_EVENT_LOCK_CLASS, workflowId]);
  }
}
