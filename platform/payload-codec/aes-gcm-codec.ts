import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Payload, PayloadCodec } from '@temporalio/common';
import type { SecretKey } from '../../db/secret-box';

/** Temporal's conventional metadata for payloads a codec encrypted (Web UI shows them as such). */
export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const KEY_ID_METADATA = 'encryption-key-id';

const IV_BYTES = 12;
const TAG_BYTES = 16;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

export interface PayloadKeyRing {
  /** Encrypts every new payload. */
  current: SecretKey;
  /** Keys that only decrypt: payloads written before a rotation name them by id. */
  previous: SecretKey[];
}

/**
 * Encrypts whole payloads (metadata and data) with AES-256-GCM. The key id travels in the clear in the metadata,
 * and is authenticated as additional data, so a history can hold payloads sealed under several keys over time.
 */
export class AesGcmPayloadCodec implements PayloadCodec {
  private readonly keys: Map<string, SecretKey>;

  constructor(private readonly ring: PayloadKeyRing) {
    this.keys = new Map([...ring.previous, ring.current].map((key) => [key.id, key]));
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => this.seal(payload));
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => (isEncrypted(payload) ? this.open(payload) : payload));
  }

  private seal(payload: Payload): Payload {
    const key = this.ring.current;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key.bytes, iv);
    cipher.setAAD(Buffer.from(key.id));
    const sealed = Buffer.concat([cipher.update(serialize(payload)), cipher.final()]);
    return {
      metadata: { encoding: encoder.encode(ENCRYPTED_ENCODING), [KEY_ID_METADATA]: encoder.encode(key.id) },
      data: Buffer.concat([iv, sealed, cipher.getAuthTag()]),
    };
  }

  private open(payload: Payload): Payload {
    const keyId = decoder.decode(payload.metadata?.[KEY_ID_METADATA] ?? new Uint8Array());
    const key = this.keys.get(keyId);
    if (!key) throw new Error(`payload encrypted with key "${keyId}", which is neither KAI_PAYLOAD_KEY nor in KAI_PAYLOAD_PREVIOUS_KEYS`);
    const data = Buffer.from(payload.data ?? new Uint8Array());
    const decipher = createDecipheriv('aes-256-gcm', key.bytes, data.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(key.id));
    decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
    return deserialize(Buffer.concat([decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)), decipher.final()]));
  }
}

export function isEncrypted(payload: Payload): boolean {
  const encoding = payload.metadata?.encoding;
  return encoding !== undefined && decoder.decode(encoding) === ENCRYPTED_ENCODING;
}

/** The plaintext payload as JSON with base64 bytes: no protobuf schema needed to read it back. */
function serialize(payload: Payload): Buffer {
  const metadata = Object.fromEntries(Object.entries(payload.metadata ?? {}).map(([name, value]) => [name, Buffer.from(value).toString('base64')]));
  return Buffer.from(JSON.stringify({ metadata, data: Buffer.from(payload.data ?? new Uint8Array()).toString('base64') }));
}

function deserialize(plaintext: Buffer): Payload {
  const parsed = JSON.parse(plaintext.toString('utf8')) as { metadata: Record<string, string>; data: string };
  return {
    metadata: Object.fromEntries(Object.entries(parsed.metadata).map(([name, value]) => [name, new Uint8Array(Buffer.from(value, 'base64'))])),
    data: new Uint8Array(Buffer.from(parsed.data, 'base64')),
  };
}
