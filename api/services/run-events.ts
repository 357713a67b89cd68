import type { Response } from 'express';
import { isGrpcDeadlineError, type Client, type WorkflowExecutionStatusName } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/common';
import type { Logger } from 'pino';
import type { RunEvent } from '../../engine/run-state';
import { runEventsQuery } from '../../workflows/messages';
import type { LiveEventDto } from '../contract/runs';
import { ApiError } from '../http/api-error';
import { registerSseStream } from '../http/sse-streams';
import { NOT_YET_STARTED } from './run-dto';

/** How often the run is asked for new events. */
const POLL_MS = 250;
/** A comment line this often keeps proxies from closing a quiet stream. */
const HEARTBEAT_MS = 15_000;
/** Each poll's questions to Temporal give up after this long; the next poll asks again. */
const ASK_TIMEOUT_MS = 5_000;

const FINAL_EVENTS = new Set<RunEvent['type']>(['run.succeeded', 'run.failed']);

/** The event a closed run's stream ends with. The journal records the first two itself; the others it cannot. */
const CLOSING_EVENT: Partial<Record<WorkflowExecutionStatusName, string>> = {
  COMPLETED: 'run.succeeded',
  FAILED: 'run.failed',
  CANCELLED: 'run.cancelled',
  TERMINATED: 'run.terminated',
  TIMED_OUT: 'run.timed_out',
};
const JOURNALED_CLOSE = new Set<WorkflowExecutionStatusName>(['COMPLETED', 'FAILED']);

/**
 * SSE event ids. A journal event's id is its seq ("7"). Events the journal does not number (`node.retrying`, and
 * the closing `run.cancelled` / `run.terminated` / `run.timed_out`, or the final event of a finished run whose
 * journal no worker could replay) reuse the seq of the last journal event sent
 * before them, with a dot and a suffix ("7.retrying.pay.2"), so ids stay in order and resuming after any of them
 * resumes after that seq: nothing numbered is missed, and a retry still under way is announced again.
 * Once live events (`node.live`: LLM tokens, agent steps) are involved, every id also carries the live cursor, the
 * id of the last live event sent, after an underscore ("7_1042", "7_1042.retrying.pay.2"): live events have their
 * own numbering in the database, and resuming resumes both.
 */
export function cursorOfEventId(eventId: string): { seq: number; live: number } {
  const match = /^(\d{1,15})(?:_(\d{1,15}))?(\.[A-Za-z0-9_.-]*)?$/.exec(eventId);
  if (!match) {
    const message = 'must be an event id this stream sent, e.g. 7, 7_1042 or 7.retrying.fetch.2';
    throw new ApiError(400, 'validation_failed', `invalid Last-Event-ID: ${message}`, [{ path: 'headers.last-event-id', message }]);
  }
  return { seq: Number(match[1]), live: Number(match[2] ?? 0) };
}

/** Live events of the run after a cursor, oldest first, at most a page. */
export type LiveEventSource = (after: number) => Promise<LiveEventDto[]>;

export interface RunEventStreamOptions {
  client: Client;
  run: { id: string; temporalRunId: string };
  /** Journal events up to this seq were seen by the client already. */
  afterSeq: number;
  /** Live events up to this id were seen by the client already. */
  afterLive?: number;
  /** Where live events come from; without it the stream carries journal events only. */
  liveEvents?: LiveEventSource;
  response: Response;
  logger: Logger;
}

/**
 * Streams a run's events as Server-Sent Events until the run's final event (or, for a run cancelled, terminated
 * or timed out, a synthesised closing event), or until the client goes away, which stops the polling.
 * Journal events come from the `runEvents` query; `node.retrying` (attempt, last failure) is read from the
 * activities Temporal reports pending, once per node and attempt.
 */
export async function streamRunEvents(options: RunEventStreamOptions): Promise<void> {
  const { client, run, response, logger } = options;
  const handle = client.workflow.getHandle(run.id, run.temporalRunId === NOT_YET_STARTED ? undefined : run.temporalRunId);
  const gone = new AbortController();
  response.on('close', () => gone.abort());
  response.status(200).set({ 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform', connection: 'keep-alive', 'x-accel-buffering': 'no' });
  response.flushHeaders();
  const heartbeat = setInterval(() => response.write(': heartbeat\n\n'), HEARTBEAT_MS);
  const unregister = registerSseStream({
    shutDown() {
      if (gone.signal.aborted) return;
      response.write(`event: shutdown\ndata: ${JSON.stringify({ type: 'shutdown', reason: 'the server is shutting down; reconnect with Last-Event-ID' })}\n\n`);
      gone.abort();
    },
  });

  let lastSeq = options.afterSeq;
  let lastLive = options.afterLive ?? 0;
  const idAt = (seq: number) => (lastLive > 0 ? `${seq}_${lastLive}` : String(seq));
  const announcedRetries = new Set<string>();
  const send = (id: string, type: string, data: object) => {
    if (!gone.signal.aborted) response.write(`id: ${id}\nevent: ${type}\ndata: ${JSON.stringify(data)}\n\n`);
  };
  const ask = <T>(question: () => Promise<T>) => client.withDeadline(Date.now() + ASK_TIMEOUT_MS, question);
  /** Sends the live events stored so far, before the journal's: a node's tokens are stored before it completes. */
  const sendLiveEvents = async (): Promise<void> => {
    if (!options.liveEvents) return;
    for (let page = await options.liveEvents(lastLive); page.length > 0 && !gone.signal.aborted; page = await options.liveEvents(lastLive)) {
      for (const event of page) {
        lastLive = event.id;
        send(idAt(lastSeq), 'node.live', event);
      }
    }
  };
  /**
   * Sends the journal's new events; true once the final one is sent. The journal is read before the live events:
   * a node stores its tokens before it completes, so every token of a node the journal shows done is read too and
   * sent ahead of it. Read the other way round, a run finishing between the two reads ended the stream without them.
   */
  const sendNewEvents = async (): Promise<boolean> => {
    const journal = await ask(() => handle.query(runEventsQuery, lastSeq));
    await sendLiveEvents();
    for (const event of journal) {
      if (event.seq <= lastSeq) continue;
      send(idAt(event.seq), event.type, event);
      lastSeq = event.seq;
      if (FINAL_EVENTS.has(event.type)) return true;
    }
    return false;
  };

  try {
    while (!gone.signal.aborted) {
      if (await askOrLog(logger, run.id, sendNewEvents)) return;
      const description = await askOrLog(logger, run.id, () => ask(() => handle.describe()));
      if (description && description.status.name !== 'RUNNING') {
        // It closed after the events were read: send what it recorded last, then a closing event if it has none.
        const drained = await askOrLog(logger, run.id, sendNewEvents);
        if (drained === true) return;
        // A journal that answered and ends in its own final event was read to the end before (a resumed stream).
        if (drained === false && JOURNALED_CLOSE.has(description.status.name)) return;
        const closing = CLOSING_EVENT[description.status.name] ?? 'run.closed';
        send(`${idAt(lastSeq)}.${closing}`, closing, { type: closing, at: (description.closeTime ?? new Date()).getTime(), synthesised: true });
        return;
      }
      for (const activity of description?.raw.pendingActivities ?? []) {
        const attempt = activity.attempt ?? 1;
        const key = `${activity.activityId}.${attempt}`;
        if (attempt <= 1 || announcedRetries.has(key)) continue;
        announcedRetries.add(key);
        send(`${idAt(lastSeq)}.retrying.${key}`, 'node.retrying', {
          type: 'node.retrying',
          at: Date.now(),
          nodeId: activity.activityId,
          attempt,
          lastFailure: activity.lastFailure ? { message: activity.lastFailure.message ?? '', type: activity.lastFailure.applicationFailureInfo?.type ?? undefined } : null,
        });
      }
      await pause(POLL_MS, gone.signal);
    }
  } catch (error) {
    if (!(error instanceof WorkflowNotFoundError)) logger.error({ err: error, runId: run.id }, 'the run event stream failed');
  } finally {
    clearInterval(heartbeat);
    unregister();
    logger.debug({ runId: run.id, lastSeq, clientGone: gone.signal.aborted }, 'run event stream ended');
    response.end();
  }
}

/** Temporal being slow or briefly unreachable costs one poll, not the stream: undefined, and the next poll asks again. */
async function askOrLog<T>(logger: Logger, runId: string, question: () => Promise<T>): Promise<T | undefined> {
  try {
    return await question();
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) throw error;
    if (!isGrpcDeadlineError(error)) logger.warn({ err: error, runId }, 'reading run events from Temporal failed; asking again');
    return undefined;
  }
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}
