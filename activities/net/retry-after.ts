/**
 * Milliseconds a Retry-After header asks for (seconds or an HTTP date), or undefined when it asks for nothing usable.
 * Zero counts as nothing: Temporal takes a next-retry delay of 0 as no retry at all, while the server meant "now",
 * which the node's own backoff already covers.
 */
export function retryAfterMs(header: string | null | undefined): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(header) - Date.now();
  return Number.isFinite(ms) && ms > 0 ? ms : undefined;
}
