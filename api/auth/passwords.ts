import argon2 from 'argon2';

/** argon2id with the library's defaults (64 MiB, 3 passes): slow for an attacker, ~50 ms for a sign-in. */
export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, { type: argon2.argon2id });
}

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

/**
 * Verified against when the email is unknown, so a sign-in for a missing account costs the same time as a wrong
 * password and timing does not reveal which accounts exist.
 */
export const UNKNOWN_ACCOUNT_HASH = hashPassword('kai-fusion:no-such-account');
