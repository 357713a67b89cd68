import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { Webhook } from '../../db/entities';
import { DeliveryRejection } from './delivery-rejection';
import { jsonNestingMessage, nestedDeeperThan } from '../http/json-nesting';
import { isUnstorable } from '../http/storable-text';

/** What a run started by a delivery receives as its inputs, and the Webhook node as its output. */
export interface DeliveryInput {
  body: unknown;
  headers: Record<string, string>;
  query: Record<string, string | string[]>;
  method: string;
}

/** Headers that carry credentials: runs (whose inputs members and Temporal's history see) never receive them. */
const CREDENTIAL_HEADERS = ['authorization', 'proxy-authorization', 'cookie'];

const MAX_IDEMPOTENCY_KEY_LENGTH = 255;


/** 405 with the methods the hook takes, unless the request's method is one of them. */
export function checkMethod(hook: Pick<Webhook, 'allowedMethods'>, method: string): void {
  if (hook.allowedMethods.includes(method)) return;
  throw new DeliveryRejection(405, 'method_not_allowed', `this webhook takes ${hook.allowedMethods.join(', ')}`, `method ${method} is not allowed`, {
    allow: hook.allowedMethods.join(', '),
  });
}

/**
 * 415 unless a request with a body declares an allowed media type (`text/*` and `*\/*` match families) and no
 * content encoding: a compressed body would have to be inflated before its size could be bounded.
 */
export function checkContentType(hook: Pick<Webhook, 'allowedContentTypes'>, headers: IncomingHttpHeaders): void {
  const encoding = headers['content-encoding']?.trim().toLowerCase();
  if (encoding && encoding !== 'identity') {
    throw new DeliveryRejection(415, 'unsupported_media_type', 'compressed bodies are not accepted; send the body without content-encoding');
  }
  const hasBody = headers['transfer-encoding'] !== undefined || Number(headers['content-length'] ?? 0) > 0;
  if (!hasBody) return;
  const type = mediaTypeOf(headers);
  const allowed = hook.allowedContentTypes.some((pattern) => pattern === type || pattern === '*/*' || (pattern.endsWith('/*') && type.startsWith(pattern.slice(0, -1))));
  if (!allowed) {
    throw new DeliveryRejection(415, 'unsupported_media_type', `this webhook takes ${hook.allowedContentTypes.join(', ')}`, `content type "${type}" is not allowed`);
  }
}

/**
 * The delivery as the run sees it. The body is parsed by its media type: JSON (`application/json`, `…+json`) into
 * a value, form data into an object of strings, anything else kept as UTF-8 text; an empty body is null.
 */
export function readDeliveryInput(request: IncomingMessage, rawBody: Buffer, hook: Pick<Webhook, 'authMode' | 'tokenHeader'>): DeliveryInput {
  const hidden = new Set(hook.authMode === 'token' ? [...CREDENTIAL_HEADERS, hook.tokenHeader] : CREDENTIAL_HEADERS);
  const headers = Object.fromEntries(
    Object.entries(request.headers).flatMap(([name, value]) => (value === undefined || hidden.has(name) ? [] : [[name, Array.isArray(value) ? value.join(', ') : value]])),
  );
  const input = { body: parseBody(rawBody, mediaTypeOf(request.headers)), headers, query: queryOf(request.url ?? '/'), method: request.method ?? 'POST' };
  if (holdsUnstorableText(input)) {
    throw new DeliveryRejection(400, 'bad_request', 'the delivery holds text that cannot be stored: the NUL character or unpaired UTF-16 surrogates');
  }
  return input;
}

/**
 * The sender's deduplication key: the Idempotency-Key header, else the hook's body field (a dotted path to a
 * string or number, e.g. `data.event_id`); undefined when neither is present.
 */
export function idempotencyKeyOf(headers: IncomingHttpHeaders, body: unknown, field: string | null | undefined): string | undefined {
  const header = headers['idempotency-key'];
  const key = typeof header === 'string' ? header.trim() : field ? fieldValue(body, field) : undefined;
  if (key === undefined || key === '') return undefined;
  if (key.length > MAX_IDEMPOTENCY_KEY_LENGTH) {
    throw new DeliveryRejection(400, 'bad_request', `the idempotency key is longer than ${MAX_IDEMPOTENCY_KEY_LENGTH} characters`);
  }
  return key;
}

function mediaTypeOf(headers: IncomingHttpHeaders): string {
  return (headers['content-type'] ?? '').split(';', 1)[0].trim().toLowerCase();
}

function parseBody(raw: Buffer, type: string): unknown {
  if (raw.length === 0) return null;
  const text = raw.toString('utf8');
  if (type === 'application/json' || type.endsWith('+json')) {
    if (nestedDeeperThan(text)) throw new DeliveryRejection(400, 'bad_request', jsonNestingMessage);
    try {
      return JSON.parse(text);
    } catch (error) {
      throw new DeliveryRejection(400, 'bad_request', 'the body is not valid JSON', undefined, {}, { cause: error });
    }
  }
  if (type === 'application/x-www-form-urlencoded') return Object.fromEntries(new URLSearchParams(text));
  return text;
}

/** Built through entries, so a parameter named `__proto__` is data like any other. */
function queryOf(url: string): Record<string, string | string[]> {
  const query = new Map<string, string | string[]>();
  for (const [name, value] of new URL(url, 'http://localhost').searchParams) {
    const seen = query.get(name);
    query.set(name, seen === undefined ? value : [...(Array.isArray(seen) ? seen : [seen]), value]);
  }
  return Object.fromEntries(query);
}

function fieldValue(body: unknown, path: string): string | undefined {
  let value = body;
  for (const part of path.split('.')) {
    if (typeof value !== 'object' || value === null || !Object.hasOwn(value, part)) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
}


function holdsUnstorableText(value: unknown): boolean {
  if (typeof value === 'string') return isUnstorable(value);
  if (typeof value !== 'object' || value === null) return false;
  return Object.entries(value).some(([key, item]) => isUnstorable(key) || holdsUnstorableText(item));
}
