import jwt from 'jsonwebtoken';

export const ACCESS_TOKEN_TTL_SECONDS = 15 * 60;
const ISSUER = 'kai-fusion';

export interface AccessClaims {
  userId: string;
  email: string;
}

/** Short-lived HS256 JWTs; a stolen one is useful for at most 15 minutes, refresh tokens do the rest. */
export class AccessTokens {
  constructor(private readonly secret: Buffer | string) {}

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
