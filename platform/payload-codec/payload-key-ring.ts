import { parseSecretKey, type SecretKey } from '../../db/secret-box';
import { ConfigError } from '../config';
import type { PayloadKeyRing } from './aes-gcm-codec';

/** KAI_PAYLOAD_KEY, KAI_PAYLOAD_KEY_ID and KAI_PAYLOAD_PREVIOUS_KEYS, as configured. */
export interface PayloadKeys {
  key: string;
  keyId?: string;
  previous?: string;
}

/** KAI_PAYLOAD_KEY (+ KAI_PAYLOAD_KEY_ID) encrypts; KAI_PAYLOAD_PREVIOUS_KEYS (`id:key,…`) still decrypt. */
export function payloadKeyRing(keys: PayloadKeys): PayloadKeyRing {
  const current = withId(parse(keys.key, 'KAI_PAYLOAD_KEY'), keys.keyId);
  const previous = (keys.previous ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
    .map((entry) => {
      const separator = entry.indexOf(':');
      if (separator <= 0) throw new ConfigError('invalid configuration:\n  KAI_PAYLOAD_PREVIOUS_KEYS: expected comma-separated id:key pairs');
      return withId(parse(entry.slice(separator + 1), 'KAI_PAYLOAD_PREVIOUS_KEYS'), entry.slice(0, separator));
    });
  return { current, previous };
}

function parse(text: string, variable: string): SecretKey {
  try {
    return parseSecretKey(text, variable);
  } catch (error) {
    throw new ConfigError(`invalid configuration:\n  ${error instanceof Error ? error.message : String(error)}`);
  }
}

function withId(key: SecretKey, id: string | undefined): SecretKey {
  return id ? { ...key, id } : key;
}
