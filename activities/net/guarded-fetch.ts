import { lookup as dnsLookup } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { ApplicationFailure } from '@temporalio/activity';
import { Agent, fetch as undiciFetch, type RequestInit as UndiciRequestInit } from 'undici';
import { createOutboundPolicy, ipLiteralOf, type OutboundPolicy } from './outbound-policy';

/**
 * `fetch` under the outbound policy: the one way nodes reach the network.
 *
 * - A URL naming an IP address is judged before anything is sent.
 * - A hostname is judged inside the connection's own DNS lookup (undici's `connect.lookup`): every address it
 *   resolves to must be allowed, and the socket connects to exactly those addresses. There is no second lookup a
 *   rebinding DNS server could answer differently.
 * - Redirects are followed here, at most {@link MAX_REDIRECTS}, each hop judged the same way.
 *
 * Undici is Node's own fetch implementation; the `undici` package (a dependency of cheerio) is used directly because
 * Node's built-in fetch does not let a caller set the connection's lookup.
 */

export const MAX_REDIRECTS = 10;

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
/** Sent on to the same origin only, as browsers do. */
const ORIGIN_BOUND_HEADERS = ['authorization', 'cookie', 'proxy-authorization'];

export interface GuardedFetchOptions {
  /** CIDR ranges, IP addresses and hostnames that may be reached although the policy would refuse them. */
  allow?: readonly string[];
}

export function createGuardedFetch(options: GuardedFetchOptions = {}): typeof fetch {
  const policy = createOutboundPolicy(options.allow);
  const dispatcher = new Agent({ connect: { lookup: guardedLookup(policy) } });

  async function guardedFetch(input: string | URL | Request, init: RequestInit = {}): Promise<Response> {
    const request = requestParts(input, init);
    const mode = init.redirect ?? 'follow';
    let url = new URL(request.url);
    let { method, body } = request;
    const headers = new Headers(request.headers);
    for (let hop = 0; ; hop++) {
      checkUrl(url, policy);
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

/** A refusal decided in the lookup travels out of undici as the cause of its "fetch failed"; it is rethrown as is. */
async function send(url: URL, init: UndiciRequestInit): Promise<Response> {
  try {
    return (await undiciFetch(url, init)) as unknown as Response;
  } catch (error) {
    throw refusalIn(error) ?? error;
  }
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

function checkUrl(url: URL, policy: OutboundPolicy): void {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw refused(`only http and https URLs may be fetched, not ${url.protocol}`);
  }
  const literal = ipLiteralOf(url.hostname);
  const reason = literal === undefined ? undefined : policy.refusalOf(literal);
  if (literal !== undefined && reason) throw refusedAddress(url.hostname, literal, reason);
}

function guardedLookup(policy: OutboundPolicy): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { family: options.family, hints: options.hints, all: true }, (error, addresses) => {
      if (error) return callback(error, []);
      if (!policy.allowsHost(hostname)) {
        for (const { address } of addresses) {
          const reason = policy.refusalOf(address);
          if (reason) return callback(refusedAddress(hostname, address, reason) as Error as NodeJS.ErrnoException, []);
        }
      }
      if (options.all) return callback(null, addresses);
      callback(null, addresses[0].address, addresses[0].family);
    });
  };
}

function refusedAddress(host: string, address: string, reason: string): ApplicationFailure {
  return refused(`outbound request to ${host} refused: ${address} is not a public address (${reason}); allow it with KAI_OUTBOUND_ALLOW if it is meant to be reached`);
}

function refused(message: string): ApplicationFailure {
  return ApplicationFailure.create({ message, type: 'OutboundRequestRefused', nonRetryable: true });
}

function refusalIn(error: unknown): ApplicationFailure | undefined {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; current = current.cause, depth++) {
    if (current instanceof ApplicationFailure && current.type === 'OutboundRequestRefused') return current;
  }
  return undefined;
}
