import type { ApiClient } from './api-client';
import { ApiRequestError } from './api-error';
import { SseParser } from './sse-parser';

/** A run event as streamed: its type and JSON payload. Types the canvas does not know are shown generically. */
export interface StreamedEvent {
  id: string | null;
  type: string;
  payload: Record<string, unknown>;
}

const CLOSING_TYPES = new Set(['run.succeeded', 'run.failed', 'run.cancelled', 'run.terminated', 'run.timed_out', 'run.closed']);
const RECONNECT_MS = 1000;

export function isClosingEvent(type: string): boolean {
  return CLOSING_TYPES.has(type);
}

export interface FollowRunOptions {
  api: ApiClient;
  runId: string;
  onEvent(event: StreamedEvent): void;
  /** A stream failure the follower will retry after (shown, not swallowed). */
  onError(error: unknown): void;
  signal: AbortSignal;
}

/**
 * Follows GET /runs/:id/events until the run's closing event or until `signal` aborts. A dropped connection is
 * resumed after the last event seen (Last-Event-ID), so no event is missed or repeated; 4xx answers stop it.
 */
export async function followRun(options: FollowRunOptions): Promise<void> {
  const { api, runId, signal } = options;
  let lastEventId: string | null = null;
  while (!signal.aborted) {
    try {
      const response = await api.open(`/runs/${encodeURIComponent(runId)}/events`, {
        signal,
        headers: lastEventId === null ? {} : { 'last-event-id': lastEventId },
      });
      const closed = await readEvents(response, signal, (event) => {
        if (event.id !== null) lastEventId = event.id;
        options.onEvent(event);
      });
      if (closed) return;
    } catch (error) {
      if (signal.aborted) return;
      options.onError(error);
      if (error instanceof ApiRequestError && error.status < 500) return;
    }
    await new Promise((resolve) => setTimeout(resolve, RECONNECT_MS));
  }
}

/** True once the last event (a run's closing one unless `isLast` says otherwise) was read. */
export async function readEvents(response: Response, signal: AbortSignal, onEvent: (event: StreamedEvent) => void, isLast = isClosingEvent): Promise<boolean> {
  if (!response.body) return false;
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  const parser = new SseParser();
  try {
    while (!signal.aborted) {
      const { value, done } = await reader.read();
      if (done) return false;
      for (const event of parser.push(value)) {
        onEvent({ id: event.id, type: event.type, payload: parsePayload(event.data) });
        if (isLast(event.type)) return true;
      }
    }
    return false;
  } finally {
    reader.cancel().catch(() => undefined);
  }
}

function parsePayload(data: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(data);
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : { value: parsed };
  } catch {
    return { text: data };
  }
}
