import { ApplicationFailure } from '@temporalio/activity';
import { retryAfterMs } from './retry-after';

export interface FetchOkOptions {
  /** The node's fetch: the outbound policy applies. */
  fetch: typeof fetch;
  signal: AbortSignal;
  timeoutMs: number;
  /** Names the node in the failure's message. */
  label: string;
  headers?: Record<string, string>;
}

/**
 * GETs `url` and returns the response when it is 2xx. Otherwise fails as the HTTP Request node does: 429 and 5xx are
 * retryable (`HttpServerError`, honouring Retry-After), any other status is final (`HttpClientError`); the message
 * names the service's origin and path, never its query (which may carry a token).
 */
export async function fetchOk(url: URL, options: FetchOkOptions): Promise<Response> {
  const response = await options.fetch(url, { headers: options.headers, signal: AbortSignal.any([options.signal, AbortSignal.timeout(options.timeoutMs)]) });
  if (response.ok) return response;
  await response.body?.cancel();
  const retryable = response.status === 429 || response.status >= 500;
  throw ApplicationFailure.create({
    message: `${options.label}: GET ${url.origin}${url.pathname} answered ${response.status} ${response.statusText}`.trim(),
    type: retryable ? 'HttpServerError' : 'HttpClientError',
    nonRetryable: !retryable,
    details: [{ status: response.status }],
    nextRetryDelay: retryable ? retryAfterMs(response.headers.get('retry-after')) : undefined,
  });
}

/** The JSON body of a 2xx answer; a body that is not JSON fails at once (asking again would get the same). */
export async function fetchJson(url: URL, options: FetchOkOptions): Promise<unknown> {
  const response = await fetchOk(url, options);
  const text = await response.text();
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw ApplicationFailure.create({ message: `${options.label}: ${url.origin}${url.pathname} answered with a body that is not JSON`, type: 'UnexpectedResponse', nonRetryable: true });
  }
}

/** `new URL(path, base)` drops the base's last segment unless it ends with a slash. */
export function underBase(base: string, path: string): URL {
  return new URL(path.replace(/^\//, ''), base.endsWith('/') ? base : `${base}/`);
}
