import { randomBytes } from 'node:crypto';
import { defaultPayloadConverter } from '@temporalio/common';
import { secretKey } from '../../db/secret-box';
import { AesGcmPayloadCodec, ENCRYPTED_ENCODING, KEY_ID_METADATA } from './aes-gcm-codec';
import { payloadKeyRing } from './payload-key-ring';

const text = (bytes: Uint8Array | undefined) => new TextDecoder().decode(bytes);
const oldKey = { ...secretKey(randomBytes(32)), id: 'old' };
const newKey = { ...secretKey(randomBytes(32)), id: 'new' };

test('a payload round-trips, and its encrypted form hides data and metadata but names its key', async () => {
  const codec = new AesGcmPayloadCodec({ current: newKey, previous: [] });
  const payload = defaultPayloadConverter.toPayload({ secret: 'the plan' });
  const [encrypted] = await codec.encode([payload]);
  expect(text(encrypted.metadata?.encoding)).toBe(ENCRYPTED_ENCODING);
  expect(text(encrypted.metadata?.[KEY_ID_METADATA])).toBe('new');
  expect(Object.keys(encrypted.metadata ?? {}).sort()).toEqual([KEY_ID_METADATA, 'encoding'].sort());
  expect(Buffer.from(encrypted.data ?? []).toString('latin1')).not.toContain('the plan');
  const [decoded] = await codec.decode([encrypted]);
  expect(defaultPayloadConverter.fromPayload(decoded)).toEqual({ secret: 'the plan' });
});

test('after a rotation, payloads sealed with a previous key still decode; unknown keys and tampering are refused', async () => {
  const before = new AesGcmPayloadCodec({ current: oldKey, previous: [] });
  const after = new AesGcmPayloadCodec({ current: newKey, previous: [oldKey] });
  const [sealedBefore] = await before.encode([defaultPayloadConverter.toPayload('history')]);
  expect(defaultPayloadConverter.fromPayload((await after.decode([sealedBefore]))[0])).toBe('history');

  const [sealedAfter] = await after.encode([defaultPayloadConverter.toPayload('new')]);
  await expect(before.decode([sealedAfter])).rejects.toThrow('key "new"');
  const tampered = { ...sealedBefore, data: Uint8Array.from(sealedBefore.data ?? [], (byte, index) => (index === 20 ? byte ^ 1 : byte)) };
  await expect(after.decode([tampered])).rejects.toThrow();
});

test('payloads that were never encrypted pass through decode unchanged', async () => {
  const codec = new AesGcmPayloadCodec({ current: newKey, previous: [] });
  const plain = defaultPayloadConverter.toPayload(42);
  expect(await codec.decode([plain])).toEqual([plain]);
});

test('the key ring is read from the configuration, naming the variable at fault', () => {
  const key = randomBytes(32).toString('base64');
  const ring = payloadKeyRing({ key, keyId: 'k2', previous: `k1:${randomBytes(32).toString('hex')}` });
  expect([ring.current.id, ring.previous.map((previous) => previous.id)]).toEqual(['k2', ['k1']]);
  expect(payloadKeyRing({ key }).current.id).toMatch(/^[0-9a-f]{8}$/);
  expect(() => payloadKeyRing({ key: 'short' })).toThrow('KAI_PAYLOAD_KEY');
  expect(() => payloadKeyRing({ key, previous: 'no-separator' })).toThrow('KAI_PAYLOAD_PREVIOUS_KEYS');
});
