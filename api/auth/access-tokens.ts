import { createSecretKey, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';

export const ACCESS_TOKEN_TTL_SECONDS = 15 * 60;
const ISSUER = 'kai-fusion';

export interface AccessClaims {
  userId: string;
  email: string;
}

/** Short-lived HS256 JWTs; a stolen one is useful for at most 15 minutes, refresh tokens do the rest. */
export class AccessTokens {
  /**
   * A key object made once: given the secret as text, jsonwebtoken first tries (and fails) to parse it as a public
   * key on every sign and verify, which showed in profiles of REST starts.
   */
  private readonly secret: KeyObject;

  constructor(secret: Buffer | string) {
    this.secret = createSecretKey(typeof secret === 'string' ? Buffer.from(secret) : secret);
  }

  issue(claims: AccessClaims): { accessToken: string; expiresIn: number } {
    const accessToken = jwt.sign({ email: claims.email }, this.secret, {
      algorithm: 'HS256',
      subject: claims.userId,
      issuer: ISSUER,
      expiresIn: ACCESS_TOKEN_TTL_SECONDS,
    });
    return { accessToken, expiresIn: ACCESS_TOKEN_TTL_SECONDS };
  }

  /** The claims of a valid, unexpired token of ours; undefined for anything else. */
  verify(token: string): AccessClaims | undefined {
    try {
      const payload = jwt.verify(token, this.secret, { algorithms: ['HS256'], issuer: ISSUER });
      if (typeof payload === 'string' || typeof payload.sub !== 'string' || typeof payload.email !== 'string') return undefined;
      return { userId: payload.sub, email: payload.email };
    } catch {
      return undefined;
    }
  }
}
