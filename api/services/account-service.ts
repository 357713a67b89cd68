import { randomUUID } from 'node:crypto';
import { UniqueConstraintViolationException, type EntityManager } from '@mikro-orm/postgresql';
import { Membership, RefreshToken, User, Workspace } from '../../db/entities';
import type { AccessTokens } from '../auth/access-tokens';
import { newOpaqueToken, hashToken } from '../auth/opaque-tokens';
import { hashPassword, UNKNOWN_ACCOUNT_HASH, verifyPassword } from '../auth/passwords';
import { checkSignInAllowed, recordSignInAttempt } from '../auth/sign-in-throttle';
import type { SessionResponse } from '../../contract/auth';
import { ApiError } from '../http/api-error';

export const REFRESH_TOKEN_TTL_MS = 30 * 24 * 60 * 60 * 1000;

/** Sign-up, sign-in and the refresh-token families behind sessions. */
export class AccountService {
  constructor(
    private readonly em: EntityManager,
    private readonly tokens: AccessTokens,
  ) {}

  /** Creates the user with a personal workspace they own, and signs them in. */
  async signUp(input: { email: string; password: string; name?: string }): Promise<SessionResponse> {
    const passwordHash = await hashPassword(input.password);
    try {
      const user = await this.em.transactional(async (em) => {
        const created = em.create(User, { email: input.email, passwordHash, name: input.name ?? null });
        const workspace = em.create(Workspace, { name: `${input.name ?? input.email.split('@')[0]}'s workspace` });
        em.create(Membership, { workspace, user: created, role: 'owner' });
        return created;
      });
      return this.startSession(user);
    } catch (error) {
      if (error instanceof UniqueConstraintViolationException) throw ApiError.conflict('an account with this email already exists');
      throw error;
    }
  }

  async signIn(input: { email: string; password: string }, ip: string): Promise<SessionResponse> {
    await checkSignInAllowed(this.em, input.email, ip);
    const user = await this.em.findOne(User, { email: input.email });
    const valid = await verifyPassword(user?.passwordHash ?? (await UNKNOWN_ACCOUNT_HASH), input.password);
    await recordSignInAttempt(this.em, { email: input.email, ip, succeeded: Boolean(user && valid), reason: !user ? 'unknown email' : valid ? undefined : 'wrong password' });
    if (!user || !valid) throw ApiError.unauthorized('wrong email or password');
    return this.startSession(user);
  }

  /**
   * Exchanges a refresh token for a new pair. A token is good once: presenting a spent one means it was copied, so
   * its whole family (every token descended from the same sign-in) is revoked.
   */
  async refresh(refreshToken: string): Promise<SessionResponse> {
    const stored = await this.em.findOne(RefreshToken, { tokenHash: hashToken(refreshToken) }, { populate: ['user'] });
    if (!stored || stored.revokedAt) throw ApiError.unauthorized('the refresh token is invalid or revoked');
    const claimed = await this.em.nativeUpdate(RefreshToken, { id: stored.id, usedAt: null }, { usedAt: new Date() });
    if (claimed === 0) {
      await this.revokeFamily(stored.familyId);
      throw ApiError.unauthorized('this refresh token was already used: every session from the same sign-in is now signed out');
    }
    if (stored.expiresAt.getTime() < Date.now()) throw ApiError.unauthorized('the refresh token has expired; sign in again');
    return this.issue(stored.user.getEntity(), stored.familyId);
  }

  async signOut(refreshToken: string): Promise<void> {
    const stored = await this.em.findOne(RefreshToken, { tokenHash: hashToken(refreshToken) });
    if (stored) await this.revokeFamily(stored.familyId);
  }

  private startSession(user: User): Promise<SessionResponse> {
    return this.issue(user, randomUUID());
  }

  private async issue(user: User, familyId: string): Promise<SessionResponse> {
    const refreshToken = newOpaqueToken('kai_rt');
    this.em.create(RefreshToken, { user, familyId, tokenHash: hashToken(refreshToken), expiresAt: new Date(Date.now() + REFRESH_TOKEN_TTL_MS) });
    await this.em.flush();
    const { accessToken, expiresIn } = this.tokens.issue({ userId: user.id, email: user.email });
    return { accessToken, tokenType: 'Bearer', expiresIn, refreshToken };
  }

  private async revokeFamily(familyId: string): Promise<void> {
    await this.em.nativeUpdate(RefreshToken, { familyId, revokedAt: null }, { revokedAt: new Date() });
  }
}
