import type { EntityManager } from '@mikro-orm/postgresql';
import { SignInAttempt } from '../../db/entities';
import { ApiError } from '../http/api-error';

export const THROTTLE_WINDOW_MS = 15 * 60 * 1000;
/** Failed sign-ins allowed per account, and per client address, within the window. */
export const MAX_FAILURES_PER_ACCOUNT = 5;
export const MAX_FAILURES_PER_IP = 20;

/** Refuses a sign-in while the account or the address has too many recent failures (429 with Retry-After). */
export async function checkSignInAllowed(em: EntityManager, email: string, ip: string, now = Date.now()): Promise<void> {
  const since = new Date(now - THROTTLE_WINDOW_MS);
  for (const [filter, limit, what] of [
    [{ email }, MAX_FAILURES_PER_ACCOUNT, 'this account'],
    [{ ip }, MAX_FAILURES_PER_IP, 'this address'],
  ] as const) {
    const failures = await em.find(SignInAttempt, { ...filter, succeeded: false, createdAt: { $gt: since } }, { orderBy: { createdAt: 'desc' }, limit, fields: ['createdAt'] });
    if (failures.length >= limit) {
      const oldestCounted = failures[failures.length - 1].createdAt.getTime();
      const retryAfter = Math.max(1, Math.ceil((oldestCounted + THROTTLE_WINDOW_MS - now) / 1000));
      throw new ApiError(429, 'rate_limited', `too many failed sign-ins for ${what}; try again in ${retryAfter} s`, [], { 'retry-after': String(retryAfter) });
    }
  }
}

export async function recordSignInAttempt(em: EntityManager, attempt: { email: string; ip: string; succeeded: boolean; reason?: string }): Promise<void> {
  em.create(SignInAttempt, { ...attempt, reason: attempt.reason ?? null });
  await em.flush();
}
