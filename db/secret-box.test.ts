import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadOrCreateKey, loadSecretKeys, open, parseSecretKey, seal, SecretBoxError, secretKey } from './secret-box';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'kai-secret-box-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const key = secretKey(randomBytes(32));

test('sealing and opening gives back the text, and the sealed string names its format and key', () => {
  const secret = JSON.stringify({ apiKey: 'sk-çà-🔑', nested: { token: 'x'.repeat(5000) } });
  const sealed = seal(secret, key);
  expect(sealed).toMatch(new RegExp(`^v1:${key.id}:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+$`));
  expect(sealed).not.toContain('sk-');
  expect(open(sealed, key)).toBe(secret);
  expect(seal(secret, key)).not.toBe(sealed);
});

test('a different key or any altered part is refused', () => {
  const sealed = seal('the secret', key);
  const otherKey = secretKey(randomBytes(32));
  expect(() => open(sealed, otherKey)).toThrow(`sealed with key ${key.id}, but the key in use is ${otherKey.id}`);

  const [format, keyId, iv, tag, data] = sealed.split(':');
  const flip = (b64: string) => {
    const bytes = Buffer.from(b64, 'base64');
    bytes[0] ^= 1;
    return bytes.toString('base64');
  };
  for (const altered of [
    [format, keyId, iv, tag, flip(data)],
    [format, keyId, iv, flip(tag), data],
    [format, keyId, flip(iv), tag, data],
  ]) {
    expect(() => open(altered.join(':'), key)).toThrow(SecretBoxError);
  }
  // Same key bytes under another id: the id is authenticated with the data.
  expect(() => open(sealed, { id: 'deadbeef', bytes: key.bytes })).toThrow(SecretBoxError);
  expect(() => open(['deadbeef', keyId, iv, tag, data].join(':'), key)).toThrow('not a sealed secret of format v1');
  expect(() => open('plain text', key)).toThrow(SecretBoxError);
});

test('configured keys are read as hex or base64, and a wrong length says so', () => {
  const bytes = randomBytes(32);
  expect(parseSecretKey(bytes.toString('hex'), 'KEY').bytes).toEqual(bytes);
  expect(parseSecretKey(bytes.toString('base64'), 'KEY').bytes).toEqual(bytes);
  expect(parseSecretKey(` ${bytes.toString('base64url')}\n`, 'KEY').bytes).toEqual(bytes);
  expect(parseSecretKey(bytes.toString('hex'), 'KEY').id).toBe(secretKey(bytes).id);
  expect(() => parseSecretKey(randomBytes(16).toString('base64'), 'KAI_ENCRYPTION_KEY')).toThrow(
    'KAI_ENCRYPTION_KEY: expected 32 bytes as base64 or 64 hex characters, got 16 bytes',
  );
  expect(() => parseSecretKey('not a key!', 'KAI_ENCRYPTION_KEY')).toThrow('KAI_ENCRYPTION_KEY: expected 32 bytes');
});

test('a key file is created once, private, and read back by every later and concurrent caller', async () => {
  const dataDir = path.join(dir, 'data');
  const keys = await Promise.all(Array.from({ length: 5 }, () => loadOrCreateKey(dataDir, 'encryption')));
  expect(new Set(keys.map((k) => k.id)).size).toBe(1);
  const file = path.join(dataDir, 'encryption.key');
  expect((await stat(file)).mode & 0o777).toBe(0o600);
  expect(parseSecretKey(await readFile(file, 'utf8'), file).bytes).toEqual(keys[0].bytes);
  expect((await loadOrCreateKey(dataDir, 'encryption')).bytes).toEqual(keys[0].bytes);
  expect((await loadOrCreateKey(dataDir, 'jwt-secret')).id).not.toBe(keys[0].id);
});

test('a damaged key file is an error naming the file, never silently replaced', async () => {
  const file = path.join(dir, 'encryption.key');
  await writeFile(file, 'c2hvcnQ=\n');
  await expect(loadOrCreateKey(dir, 'encryption')).rejects.toThrow(`${file}: expected 32 bytes`);
  expect(await readFile(file, 'utf8')).toBe('c2hvcnQ=\n');
});

test('configured secrets are used as given; unset ones are generated in development and refused in production', async () => {
  const encryption = randomBytes(32);
  const configured = await loadSecretKeys({
    dataDir: dir,
    production: true,
    secrets: { encryptionKey: encryption.toString('hex'), jwtSecret: 'a-jwt-secret-of-at-least-32-characters' },
  });
  expect(configured.encryption.bytes).toEqual(encryption);
  expect(configured.jwt.toString()).toBe('a-jwt-secret-of-at-least-32-characters');

  const generated = await loadSecretKeys({ dataDir: dir, production: false, secrets: { encryptionKey: undefined, jwtSecret: undefined } });
  expect(generated.jwt).toHaveLength(32);
  expect(await loadSecretKeys({ dataDir: dir, production: false, secrets: { encryptionKey: undefined, jwtSecret: undefined } })).toEqual(generated);

  await expect(loadSecretKeys({ dataDir: dir, production: true, secrets: { encryptionKey: undefined, jwtSecret: 'a-jwt-secret-of-at-least-32-characters' } })).rejects.toThrow(
    'required in production',
  );
});
