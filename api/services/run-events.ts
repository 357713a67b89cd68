import type { Response } from 'express';
import { isGrpcDeadlineError, type Client, type WorkflowExecutionStatusName } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/common';
import type { Logger } from 'pino';
import type { RunEvent } from '../../engine/run-state';
import { runEventsQuery } from '../../workflows/messages';
import type { LiveEventDto } from '../../contract/runs';
import { ApiError } from '../http/api-error';
import { interleaveLiveEvents } from './live-event-order';
import { registerSseStream } from '../http/sse-streams';
import { NOT_YET_STARTED } from './run-dto';

/**
 * How often the run is asked for new events. It bounds how late a streamed token reaches the client: at 250 ms the
 * stack added ~225 ms to a model's first token (bench:ttft), at 100 ms ~70 ms.
 */
const POLL_MS = 100;
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
 * SSE event ids. A journal event's id is its seq ("7"). Events the journal does not number (the closing
 * `run.cancelled` / `run.terminated` / `run.timed_out`, the final event of a finished run whose journal no worker
 * could replay, a chat stream's own events) reuse the seq of the last journal event sent before them, with a dot
 * and a suffix ("7.run.cancelled"), so ids stay in order and resuming after any of them resumes after that seq:
 * nothing numbered is missed. Once live events (`node.live`: LLM tokens, agent steps; `node.retrying`) are
 * involved, every id also carries the live cursor after an underscore ("7_1042"): live events have their own
 * numbering in the database, and resuming resumes both. Ids of the retired form "7.retrying.pay.2" still resume.
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
  /** Sent before the run's events (e.g. a chat message's ids). */
  opening?: StreamFrame;
  /** Sent after the run's final event while the client is still there (e.g. a chat message's reply). */
  closing?: () => Promise<StreamFrame>;
}

/** An event of a stream that is not the run's own; its id is the run's cursor at that point with `.<type>` added. */
export interface StreamFrame {
  type: string;
  data: object;
}

/**
 * Streams a run's events as Server-Sent Events until the run's final event (or, for a run cancelled, terminated
 * or timed out, a synthesised closing event), or until the client goes away, which stops the polling.
 * Journal events come from the `runEvents` query; live events, `node.retrying` among them (announced by the failed
 * attempt with its error), from `liveEvents`. A replay of a finished run sends what a live client was sent.
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
  const send = (id: string, type: string, data: object) => {
    if (!gone.signal.aborted) response.write(`id: ${id}\nevent: ${type}\ndata: ${JSON.stringify(data)}\n\n`);
  };
  const ask = <T>(question: () => Promise<T>) => client.withDeadline(Date.now() + ASK_TIMEOUT_MS, question);
  /** Every live event stored after the cursor, read page by page. */
  const readLiveEvents = async (): Promise<LiveEventDto[]> => {
    if (!options.liveEvents) return [];
    const events: LiveEventDto[] = [];
    for (let page = await options.liveEvents(lastLive); page.length > 0 && !gone.signal.aborted; page = await options.liveEvents(page.at(-1)?.id ?? lastLive)) events.push(...page);
    return events;
  };
  /**
   * Sends the journal's new events and the live events stored since, in the order of {@link interleaveLiveEvents}
   * (which a replay of the finished run repeats); true once the final one is sent. The journal is read first: a node's
   * live events are stored before it completes, so they are all read by the time its completion is sent.
   */
  const sendNewEvents = async (): Promise<boolean> => {
    const journal = (await ask(() => handle.query(runEventsQuery, lastSeq))).filter((event) => event.seq > lastSeq);
    const live = await readLiveEvents();
    const unsent = new Set(live.map((event) => event.id));
    const newest = live.at(-1)?.id ?? lastLive;
    for (const item of interleaveLiveEvents(journal, live)) {
      if ('live' in item) {
        unsent.delete(item.live.id);
        // The live cursor stays below any event not sent yet, so resuming never skips one (it may repeat some).
        lastLive = unsent.size > 0 ? Math.min(...unsent) - 1 : newest;
        sendLive(item.live);
        continue;
      }
      send(idAt(item.journal.seq), item.journal.type, item.journal);
      lastSeq = item.journal.seq;
      if (FINAL_EVENTS.has(item.journal.type)) return true;
    }
    return false;
  };
  /** A retry announced by the failed attempt is the run's `node.retrying` event; the rest arrive as `node.live`. */
  const sendLive = (event: LiveEventDto) => {
    if (event.type !== 'node.retrying') return send(idAt(lastSeq), 'node.live', event);
    const { attempt, lastFailure } = event.data as { attempt: number; lastFailure: { message: string; type?: string } | null };
    send(idAt(lastSeq), 'node.retrying', { type: 'node.retrying', at: Date.parse(event.at), nodeId: event.nodeId, attempt, lastFailure });
  };

  if (options.opening) send(`${idAt(lastSeq)}.${options.opening.type}`, options.opening.type, options.opening.data);
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
      await pause(POLL_MS, gone.signal);
    }
  } catch (error) {
    if (!(error instanceof WorkflowNotFoundError)) logger.error({ err: error, runId: run.id }, 'the run event stream failed');
  } finally {
    if (options.closing && !gone.signal.aborted) await sendClosing(options.closing, (frame) => send(`${idAt(lastSeq)}.${frame.type}`, frame.type, frame.data), logger, run.id);
    clearInterval(heartbeat);
    unregister();
    logger.debug({ runId: run.id, lastSeq, clientGone: gone.signal.aborted }, 'run event stream ended');
    response.end();
  }
}

async function sendClosing(closing: () => Promise<StreamFrame>, send: (frame: StreamFrame) => void, logger: Logger, runId: string): Promise<void> {
  try {
    send(await closing());
  } catch (error) {
    logger.error({ err: error, runId }, 'the closing event of a run event stream failed');
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
