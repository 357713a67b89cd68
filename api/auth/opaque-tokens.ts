import { createHash, randomBytes } from 'node:crypto';

/** Refresh tokens and API keys are random strings shown once; only their SHA-256 is stored. */
export function newOpaqueToken(prefix: 'kai_rt' | 'kai_key'): string {
  return `${prefix}_${randomBytes(32).toString('base64url')}`;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
