import { validateHeaderName, validateHeaderValue } from 'node:http';
import type { RunResult } from '../../engine/run-state';

/**
 * Set on every answer of the public endpoint, whatever it is (sync result, 202, error). The endpoint shares the
 * canvas's origin and anyone may publish a hook, so what it serves must never run as that origin: `sandbox` gives
 * the document an opaque origin with no scripts and no access to the canvas's storage or cookies, and `nosniff`
 * keeps a browser from reading a text answer as HTML or script.
 */
export const WEBHOOK_ANSWER_HEADERS = {
  'content-security-policy': 'sandbox',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
} as const;

/** Headers describing the content, which an End node may set as it likes. */
const CONTENT_HEADERS = new Set([
  'content-type',
  'content-language',
  'content-disposition',
  'cache-control',
  'expires',
  'pragma',
  'etag',
  'last-modified',
  'vary',
  'retry-after',
]);

/**
 * `x-` headers are the End node's own, except those that browsers or proxies act on: the ones this endpoint sets
 * for safety, nginx's and Apache's internal redirects to local files, and forwarding headers a proxy could trust.
 */
const REFUSED_CUSTOM = /^x-(content-type-options|frame-options|xss-protection|permitted-cross-domain-policies|dns-prefetch-control|download-options|powered-by|accel-.*|sendfile|lighttpd-send-file|forwarded-.*|real-ip)$/;

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

export interface AnswerPolicy {
  /** The hook's `allowRedirects` setting: a 3xx with a Location to an http(s) URL. */
  allowRedirects: boolean;
}

export interface Answer {
  status: number;
  headers: Record<string, string>;
  /** What was asked for but not sent, and why; empty when the End node's answer went out as asked. */
  refused: string[];
}

/**
 * What a sync answer sends of the End node's `response`: its status, and of its headers only those on the allowlist
 * (content headers and `x-` headers), so a tenant cannot set cookies, CORS, CSP or HSTS on the service's origin.
 * A redirect needs the hook's `allowRedirects` and an http(s) Location; without them its status becomes 200.
 */
export function answerOf(response: RunResult['response'], policy: AnswerPolicy): Answer {
  const refused: string[] = [];
  const headers: Record<string, string> = {};
  let location: string | undefined;
  for (const [rawName, value] of Object.entries(response?.headers ?? {})) {
    const name = rawName.toLowerCase();
    const problem = refusalOf(name, value);
    if (problem) refused.push(`${name} (${problem})`);
    else if (name === 'location') location = String(value);
    else headers[name] = String(value);
  }
  const asked = Number(response?.status ?? 200);
  let status = Number.isInteger(asked) && asked >= 200 && asked <= 599 ? asked : 200;
  if (status >= 300 && status < 400 && status !== 304) {
    const problem = redirectRefusal(status, location, policy);
    if (problem) {
      refused.push(`status ${status} (${problem}; answered 200)`);
      status = 200;
    } else if (location !== undefined) headers.location = location;
  } else if (location !== undefined) refused.push(`location (only a redirect status carries one)`);
  return { status, headers, refused };
}

function refusalOf(name: string, value: unknown): string | undefined {
  if (typeof value !== 'string') return 'not text';
  if (!isValidHeader(name, value)) return 'not a valid header';
  if (name === 'location' || CONTENT_HEADERS.has(name)) return undefined;
  if (name.startsWith('x-') && !REFUSED_CUSTOM.test(name)) return undefined;
  return 'not on the allowlist of webhook answer headers';
}

function redirectRefusal(status: number, location: string | undefined, policy: AnswerPolicy): string | undefined {
  if (!REDIRECT_STATUSES.has(status)) return 'not a redirect status this endpoint sends';
  if (!policy.allowRedirects) return "the webhook's allowRedirects is off";
  if (location === undefined) return 'no location header';
  if (!isHttpUrl(location)) return 'location must be an absolute http or https URL';
  return undefined;
}

/** Absolute only: a relative Location would point into the service's own origin, which is not the tenant's. */
function isHttpUrl(value: string): boolean {
  if (!URL.canParse(value)) return false;
  const { protocol } = new URL(value);
  return protocol === 'http:' || protocol === 'https:';
}

function isValidHeader(name: string, value: string): boolean {
  try {
    validateHeaderName(name);
    validateHeaderValue(name, value);
    return true;
  } catch {
    return false;
  }
}
