import { randomBytes } from 'node:crypto';
import type { Webhook } from '../../db/entities';
import { open, type SecretKey } from '../../db/secret-box';

/** `wh_` and 32 random bytes, base64url: the URL is a capability, so it must not be guessable. */
export function newWebhookId(): string {
  return `wh_${randomBytes(32).toString('base64url')}`;
}

/** A token (token mode) or HMAC-SHA256 key (hmac mode): 32 random bytes, base64url. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

/** The secrets a delivery may prove it knows: the current one, and the one before a rotation until it expires. */
export function acceptedSecrets(hook: Webhook, key: SecretKey, now: Date): string[] {
  const secrets = [open(hook.secretSealed, key)];
  if (hook.previousSecretSealed && hook.previousSecretExpiresAt && hook.previousSecretExpiresAt > now) {
    secrets.push(open(hook.previousSecretSealed, key));
  }
  return secrets;
}

/**
 * `previousSecretSealed` when there is none. MikroORM types a hidden property as `T & Hidden.Brand`, which drops
 * the `null` of a nullable one; the column is nullable.
 */
export const NO_PREVIOUS_SECRET = null as unknown as Webhook['previousSecretSealed'];
