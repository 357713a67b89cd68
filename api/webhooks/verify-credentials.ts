import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { Webhook } from '../../db/entities';
import { denied } from './delivery-rejection';

/** Compared as SHA-256 digests so both sides have one length: timingSafeEqual then leaks neither content nor length. */
function sameSecret(given: string, expected: string): boolean {
  return timingSafeEqual(createHash('sha256').update(given).digest(), createHash('sha256').update(expected).digest());
}

function headerOf(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? undefined : value;
}

/**
 * Token mode: the token in `authorization: Bearer <token>` or in the hook's own header. Every accepted secret is
 * compared, so the time taken does not depend on which one matched.
 */
export function checkToken(hook: Pick<Webhook, 'tokenHeader'>, headers: IncomingHttpHeaders, secrets: string[]): void {
  const raw = headerOf(headers, hook.tokenHeader);
  const token = hook.tokenHeader === 'authorization' ? /^Bearer +(\S+)\s*$/i.exec(raw ?? '')?.[1] : raw?.trim();
  if (!token) throw denied(`no token in the ${hook.tokenHeader} header`);
  const matches = secrets.map((secret) => sameSecret(token, secret));
  if (!matches.includes(true)) throw denied('wrong token');
}

/** A signature header parsed, and the text it must sign apart from the body. */
export interface SignatureClaim {
  digest: Buffer;
  /** `<timestamp>.` when the hook signs a timestamp with the body, else empty. */
  prefix: string;
}

/**
 * HMAC mode, the part that needs no body: `sha256=<64 hex>` in the signature header and, when the hook has a
 * timestamp header, a Unix time in seconds no further than `toleranceSeconds` from now (so a captured delivery
 * cannot be replayed later).
 */
export function readSignatureClaim(
  hook: Pick<Webhook, 'signatureHeader' | 'timestampHeader' | 'toleranceSeconds'>,
  headers: IncomingHttpHeaders,
  now: Date,
): SignatureClaim {
  const match = /^sha256=([0-9a-f]{64})$/i.exec(headerOf(headers, hook.signatureHeader)?.trim() ?? '');
  if (!match) throw denied(`no sha256=<hex> signature in the ${hook.signatureHeader} header`);
  const digest = Buffer.from(match[1], 'hex');
  if (!hook.timestampHeader) return { digest, prefix: '' };

  const timestamp = headerOf(headers, hook.timestampHeader)?.trim() ?? '';
  if (!/^\d{1,12}$/.test(timestamp)) throw denied(`no Unix timestamp in the ${hook.timestampHeader} header`);
  const skewSeconds = Math.abs(now.getTime() / 1000 - Number(timestamp));
  if (skewSeconds > hook.toleranceSeconds) throw denied(`the signed timestamp is ${Math.round(skewSeconds)} s from now; at most ${hook.toleranceSeconds} s is accepted`);
  return { digest, prefix: `${timestamp}.` };
}

/** HMAC-SHA256 of `<prefix><raw body>` under any accepted secret must equal the claimed digest. */
export function checkSignature(claim: SignatureClaim, rawBody: Buffer, secrets: string[]): void {
  const matches = secrets.map((secret) => timingSafeEqual(createHmac('sha256', secret).update(claim.prefix).update(rawBody).digest(), claim.digest));
  if (!matches.includes(true)) throw denied('wrong signature');
}
