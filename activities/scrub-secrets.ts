import { ApplicationFailure } from '@temporalio/activity';
import { credentialKinds, type ResolvedCredential } from './credential-kinds';

/** What a scrubbed secret is replaced with. */
export const REDACTED = '[redacted]';

/**
 * Key shapes scrubbed whatever credential is in play: a provider may echo a key from another source (an env var on
 * its side, a key in a URL the node was given), and a node may fail before its credential was loaded.
 */
const KEY_PATTERNS: [RegExp, string][] = [
  // A token has a digit or symbol, or is long; "Basic authentication" is left alone.
  [/\b(Bearer|Basic)\s+(?:(?=[\w.~+/=-]*[\d.~+/=-])[\w.~+/=-]{8,}|[\w.~+/=-]{16,})/gi, `$1 ${REDACTED}`],
  [/\bsk-[A-Za-z0-9_-]{8,}/g, REDACTED],
  [/\b(api[_-]?key|access[_-]?token|token|secret|password|key)=[^&\s"'<>]+/gi, `$1=${REDACTED}`],
  // userinfo of a URL (postgres://user:password@host, https://token@host)
  [/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@"'<>]+@/gi, `$1${REDACTED}@`],
];

/**
 * The texts a credential's secrets may appear as in an error: each secret field as is, URL-encoded, base64 and
 * JSON-escaped, a connection string's password, and Basic auth's base64 `username:password`. Public fields (a base
 * URL, a username) are what the API shows anyway; secrets hidden inside them are caught by KEY_PATTERNS.
 */
export function secretTextsOf(credential: ResolvedCredential | undefined): string[] {
  if (!credential) return [];
  const secretFields: readonly string[] = credentialKinds[credential.kind]?.secret ?? Object.keys(credential.data);
  const secrets = secretFields.map((field) => credential.data[field]).filter((value): value is string => typeof value === 'string' && value !== '');
  const texts = secrets.flatMap((secret) => [secret, ...urlPasswordOf(secret)]);
  const { username, password } = credential.data;
  if (credential.kind === 'http_basic' && username && password) texts.push(base64(`${username}:${password}`));
  const variants = texts.flatMap((text) => [text, encodeURIComponent(text), base64(text), JSON.stringify(text).slice(1, -1)]);
  // Longest first, so a secret that contains another is replaced whole.
  return [...new Set(variants)].filter((text) => text !== '').sort((a, b) => b.length - a.length);
}

export function scrubText(text: string, secrets: readonly string[]): string {
  let scrubbed = text;
  for (const secret of secrets) scrubbed = scrubbed.split(secret).join(REDACTED);
  for (const [pattern, replacement] of KEY_PATTERNS) scrubbed = scrubbed.replace(pattern, replacement);
  return scrubbed;
}

/** Every string inside `value` scrubbed; other values kept. */
export function scrubValue(value: unknown, secrets: readonly string[], depth = 0): unknown {
  if (typeof value === 'string') return scrubText(value, secrets);
  if (value === null || typeof value !== 'object' || depth > 20) return value;
  if (value instanceof Error) return scrubError(value, secrets, depth + 1);
  if (Array.isArray(value)) return value.map((item) => scrubValue(item, secrets, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, scrubValue(item, secrets, depth + 1)]));
}

/**
 * A copy of the error fit to leave the activity: message, stack, details and every cause scrubbed. A copy rather
 * than the error itself, because a provider client's error carries more (the response, its headers) than Temporal's
 * failure converter needs, and the worker's logger prints all of it.
 */
export function scrubError(error: Error, secrets: readonly string[], depth = 0): Error {
  const cause = error.cause instanceof Error && depth < 20 ? scrubError(error.cause, secrets, depth + 1) : undefined;
  const scrubbed =
    error instanceof ApplicationFailure
      ? ApplicationFailure.create({
          message: scrubText(error.message, secrets),
          type: error.type ?? undefined,
          nonRetryable: error.nonRetryable ?? undefined,
          nextRetryDelay: error.nextRetryDelay ?? undefined,
          details: error.details ? (scrubValue(error.details, secrets, depth) as unknown[]) : undefined,
          category: error.category ?? undefined,
          cause,
        })
      : Object.assign(new Error(scrubText(error.message, secrets), cause ? { cause } : undefined), { name: error.name });
  scrubbed.stack = error.stack === undefined ? undefined : scrubText(error.stack, secrets);
  return scrubbed;
}

function urlPasswordOf(text: string): string[] {
  if (!URL.canParse(text)) return [];
  const { password } = new URL(text);
  return password ? [password, decodeURIComponent(password)] : [];
}

function base64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}
