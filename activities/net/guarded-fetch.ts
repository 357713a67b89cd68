import { Agent, buildConnector, fetch as undiciFetch, type RequestInit as UndiciRequestInit } from 'undici';
import { createOutboundGuard, refusalIn, refused, vettedLookup, type OutboundGuard, type OutboundRules } from './outbound-guard';

/**
 * `fetch` under the outbound policy: the one way nodes reach the network over HTTP.
 *
 * - Every connection is vetted by the outbound guard in undici's own connector: the host (an IP literal or a name)
 *   is resolved once, every address it resolves to must be allowed for the port, and the socket connects to exactly
 *   those addresses. There is no second lookup a rebinding DNS server could answer differently.
 * - Redirects are followed here, at most {@link MAX_REDIRECTS}, each hop judged the same way.
 * - A network failure names its cause (DNS, refused, TLS, timeout) and the host, instead of fetch's "fetch failed".
 *
 * Undici is Node's own fetch implementation; the `undici` package (a dependency of cheerio) is used directly because
 * Node's built-in fetch does not let a caller set the connector.
 */

export const MAX_REDIRECTS = 10;

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
/** Sent on to the same origin only, as browsers do. */
const ORIGIN_BOUND_HEADERS = ['authorization', 'cookie', 'proxy-authorization'];

export function createGuardedFetch(rules: OutboundRules = {}): typeof fetch {
  return guardedFetchOf(createOutboundGuard(rules));
}

export function guardedFetchOf(guard: OutboundGuard): typeof fetch {
  const dispatcher = new Agent({ connect: guardedConnector(guard) });

  async function guardedFetch(input: string | URL | Request, init: RequestInit = {}): Promise<Response> {
    const request = requestParts(input, init);
    const mode = init.redirect ?? 'follow';
    let url = new URL(request.url);
    let { method, body } = request;
    const headers = new Headers(request.headers);
    for (let hop = 0; ; hop++) {
      checkProtocol(url);
      const response = await send(url, { ...request.init, method, headers: [...headers], body: body as UndiciRequestInit['body'], redirect: 'manual', dispatcher });
      const location = response.headers.get('location');
      if (mode === 'manual' || !REDIRECT_STATUSES.has(response.status) || location === null) return response;
      await response.body?.cancel();
      if (mode === 'error') throw new TypeError(`${url.origin}${url.pathname} redirected, and redirect is "error"`);
      if (hop + 1 > MAX_REDIRECTS) throw new TypeError(`more than ${MAX_REDIRECTS} redirects, starting at ${request.url}`);
      const next = new URL(location, url);
      if (next.origin !== url.origin) for (const name of ORIGIN_BOUND_HEADERS) headers.delete(name);
      if (response.status === 303 ? method !== 'HEAD' : (response.status === 301 || response.status === 302) && method === 'POST') {
        method = 'GET';
        body = undefined;
        headers.delete('content-type');
        headers.delete('content-length');
      } else if (body instanceof ReadableStream) {
        throw new TypeError(`${url.origin}${url.pathname} redirected a request whose streamed body cannot be sent again`);
      }
      url = next;
    }
  }
  return guardedFetch as typeof fetch;
}

/** A refusal decided in the connector travels out of undici as the cause of its "fetch failed"; it is rethrown as is. */
async function send(url: URL, init: UndiciRequestInit): Promise<Response> {
  try {
    return (await undiciFetch(url, init)) as unknown as Response;
  } catch (error) {
    throw refusalIn(error) ?? described(error, `${init.method} ${url.origin}${url.pathname}`, url);
  }
}

function guardedConnector(guard: OutboundGuard): buildConnector.connector {
  return (options, callback) => {
    const port = Number(options.port) || (options.protocol === 'https:' ? 443 : 80);
    guard.vet(options.hostname, port).then(
      (addresses) => buildConnector({ lookup: vettedLookup(addresses) })(options, callback),
      (error: Error) => callback(error, null),
    );
  };
}

/** Cancellation (an abort with Temporal's reason) passes through untouched; a network failure or timeout is named. */
function described(error: unknown, request: string, url: URL): unknown {
  if (error instanceof DOMException && error.name === 'TimeoutError') return new DOMException(`${request} timed out: no answer within the request's timeout`, 'TimeoutError');
  if (!(error instanceof TypeError)) return error;
  return new TypeError(`${request} failed: ${networkCause(error.cause, url)}`, { cause: error });
}

function networkCause(cause: unknown, url: URL): string {
  const { code, message } = (cause ?? {}) as { code?: unknown; message?: unknown };
  const host = url.hostname;
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  // OpenSSL's messages run over several lines; the first one says what failed.
  const detail = typeof message === 'string' ? message.split('\n')[0].trim() : 'no further detail';
  if (code === 'ENOTFOUND' || code === 'EAI_NONAME' || code === 'ENODATA') return `DNS lookup of ${host} failed: the name does not resolve (${code})`;
  if (code === 'EAI_AGAIN') return `DNS lookup of ${host} failed: the resolver did not answer (EAI_AGAIN)`;
  if (code === 'ECONNREFUSED') return `${host}:${port} refused the connection (ECONNREFUSED)`;
  if (code === 'ETIMEDOUT' || code === 'UND_ERR_CONNECT_TIMEOUT') return `connecting to ${host}:${port} timed out (${code})`;
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' || code === 'EPIPE') return `${host}:${port} closed the connection (${code})`;
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return `${host}:${port} is unreachable (${code})`;
  if (typeof code === 'string' && /CERT|TLS|SSL|SELF_SIGNED|UNABLE_TO_VERIFY|ALTNAME/.test(code)) return `TLS with ${host}:${port} failed: ${detail} (${code})`;
  return `${host}:${port}: ${detail}${typeof code === 'string' ? ` (${code})` : ''}`;
}

function requestParts(input: string | URL | Request, init: RequestInit) {
  if (typeof input === 'string' || input instanceof URL) {
    return { url: input.toString(), method: init.method ?? 'GET', headers: init.headers, body: init.body ?? undefined, init: initOf(init) };
  }
  return {
    url: input.url,
    method: init.method ?? input.method,
    headers: init.headers ?? input.headers,
    body: init.body ?? input.body ?? undefined,
    init: initOf({ signal: input.signal, ...init }),
  };
}

/** What is passed on unchanged; method, headers, body and redirect are decided per hop. */
function initOf(init: RequestInit): UndiciRequestInit {
  const { method: _method, headers: _headers, body: _body, redirect: _redirect, ...rest } = init;
  return { ...(rest as UndiciRequestInit), duplex: 'half' };
}

function checkProtocol(url: URL): void {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw refused(`only http and https URLs may be fetched, not ${url.protocol}`);
  }
}
