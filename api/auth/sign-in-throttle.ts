import type { EntityManager } from '@mikro-orm/postgresql';
import ipaddr from 'ipaddr.js';
import { SignInAttempt } from '../../db/entities';
import { ApiError } from '../http/api-error';

/**
 * Guessing is slowed where it comes from, never where it is aimed: failures count per (account, client address)
 * and per client address, so a stranger failing on someone's account slows only themselves, and the owner signing
 * in from their own address is not held up. Unknown and known emails are throttled alike, so the answers say
 * nothing about which accounts exist.
 */
export const SIGN_IN_THROTTLE = {
  /** Failures in a row one address may have on one account before it must wait. */
  freeFailures: 5,
  /** The wait after the first failure past the free ones; it doubles with every further failure. */
  firstDelayMs: 15_000,
  maxDelayMs: 15 * 60 * 1000,
  /** Failures further back than this are forgotten. */
  memoryMs: 24 * 60 * 60 * 1000,
  /** Failures one address may have across all accounts within `addressWindowMs`. */
  addressFailures: 50,
  addressWindowMs: 15 * 60 * 1000,
};

/** Failures in a row past which the delay no longer grows: reading more of them would change nothing. */
const FAILURES_TO_MAX_DELAY =
  SIGN_IN_THROTTLE.freeFailures + Math.ceil(Math.log2(SIGN_IN_THROTTLE.maxDelayMs / SIGN_IN_THROTTLE.firstDelayMs)) + 1;

/**
 * Who is signing in from where. IPv6 clients are counted by their /64, the block one machine is handed; an
 * IPv4-mapped IPv6 address is its IPv4 address.
 */
export function clientAddressKey(address: string): string {
  if (!ipaddr.isValid(address)) return address;
  const parsed = ipaddr.process(address);
  if (parsed.kind() === 'ipv4') return parsed.toString();
  const prefix = (parsed as ipaddr.IPv6).parts.slice(0, 4);
  return `${new ipaddr.IPv6([...prefix, 0, 0, 0, 0]).toString()}/64`;
}

/** The wait owed after `failures` failures in a row, in milliseconds (0 while they are within the free ones). */
export function delayAfter(failures: number): number {
  const { freeFailures, firstDelayMs, maxDelayMs } = SIGN_IN_THROTTLE;
  if (failures < freeFailures) return 0;
  return Math.min(maxDelayMs, firstDelayMs * 2 ** Math.min(failures - freeFailures, 40));
}

/**
 * Refuses the sign-in (429 with Retry-After, before the password is checked) while this address owes a wait on
 * this account, or has used up its failures across accounts.
 */
export async function checkSignInAllowed(em: EntityManager, email: string, ip: string, now = Date.now()): Promise<void> {
  const address = clientAddressKey(ip);
  const recent = await em.find(
    SignInAttempt,
    { email, ip: address, createdAt: { $gt: new Date(now - SIGN_IN_THROTTLE.memoryMs) } },
    { orderBy: { createdAt: 'desc' }, limit: FAILURES_TO_MAX_DELAY, fields: ['createdAt', 'succeeded'] },
  );
  const inARow = recent.findIndex((attempt) => attempt.succeeded);
  const failures = inARow === -1 ? recent.length : inARow;
  if (failures > 0) refuseUntil(recent[0].createdAt.getTime() + delayAfter(failures), now);

  const { addressFailures, addressWindowMs } = SIGN_IN_THROTTLE;
  const fromAddress = await em.find(
    SignInAttempt,
    { ip: address, succeeded: false, createdAt: { $gt: new Date(now - addressWindowMs) } },
    { orderBy: { createdAt: 'desc' }, limit: addressFailures, fields: ['createdAt'] },
  );
  if (fromAddress.length >= addressFailures) refuseUntil(fromAddress[fromAddress.length - 1].createdAt.getTime() + addressWindowMs, now);
}

function refuseUntil(allowedAt: number, now: number): void {
  if (allowedAt <= now) return;
  const retryAfter = Math.max(1, Math.ceil((allowedAt - now) / 1000));
  throw new ApiError(429, 'rate_limited', `too many failed sign-ins from this address; try again in ${retryAfter} s`, [], { 'retry-after': String(retryAfter) });
}

export async function recordSignInAttempt(
  em: EntityManager,
  attempt: { email: string; ip: string; succeeded: boolean; reason?: string },
  now = Date.now(),
): Promise<void> {
  em.create(SignInAttempt, { ...attempt, ip: clientAddressKey(attempt.ip), reason: attempt.reason ?? null, createdAt: new Date(now) });
  await em.flush();
}
