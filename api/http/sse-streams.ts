import { sseClients } from '../../platform/metrics/api-metrics';

/** An open Server-Sent Events response that can end itself politely. */
export interface SseStream {
  /** Sends `event: shutdown` and ends the stream; the client reconnects (with Last-Event-ID) to another API. */
  shutDown(): void;
}

const open = new Set<SseStream>();

/** Counts the stream (the `kai_sse_clients` gauge) and lets a shutdown reach it; call the result when it ends. */
export function registerSseStream(stream: SseStream): () => void {
  open.add(stream);
  sseClients.inc();
  return () => {
    if (open.delete(stream)) sseClients.dec();
  };
}

/** On SIGTERM: every open stream is told the server is going away, so `server.close()` is not held up by them. */
export function shutDownSseStreams(): number {
  const streams = [...open];
  for (const stream of streams) stream.shutDown();
  return streams.length;
}
