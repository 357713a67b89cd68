import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../platform/config';

const KEY_BYTES = 32;
const IV_BYTES = 12;
const FORMAT = 'v1';

/** A 32-byte AES-256-GCM key and the short id that sealed strings carry, so the right key can be told apart. */
export interface SecretKey {
  id: string;
  bytes: Buffer;
}

export class SecretBoxError extends Error {
  override name = 'SecretBoxError';
}

export function secretKey(bytes: Buffer): SecretKey {
  if (bytes.length !== KEY_BYTES) throw new SecretBoxError(`a secret key must be ${KEY_BYTES} bytes, got ${bytes.length}`);
  return { id: createHash('sha256').update(bytes).digest('hex').slice(0, 8), bytes };
}

/**
 * Reads a key given as text: 64 hex characters or base64 (standard or URL-safe) of 32 bytes.
 * `name` says where it came from (`KAI_ENCRYPTION_KEY`, a key file) in the error.
 */
export function parseSecretKey(text: string, name: string): SecretKey {
  const trimmed = text.trim();
  let bytes: Buffer;
  if (/^[0-9a-fA-F]{64}$/.test(trimmed)) bytes = Buffer.from(trimmed, 'hex');
  else if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(trimmed)) bytes = Buffer.from(trimmed, 'base64');
  else throw new SecretBoxError(`${name}: expected ${KEY_BYTES} bytes as base64 or 64 hex characters`);
  if (bytes.length !== KEY_BYTES) {
    throw new SecretBoxError(`${name}: expected ${KEY_BYTES} bytes as base64 or 64 hex characters, got ${bytes.length} bytes`);
  }
  return secretKey(bytes);
}

/** Encrypts with AES-256-GCM into `v1:<keyId>:<iv>:<tag>:<data>` (base64 parts); the header is authenticated too. */
export function seal(plaintext: string, key: SecretKey): string {
  const iv = randomBytes(IV_BYTES);
  const header = `${FORMAT}:${key.id}`;
  const cipher = createCipheriv('aes-256-gcm', key.bytes, iv);
  cipher.setAAD(Buffer.from(header));
  const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return [header, iv.toString('base64'), cipher.getAuthTag().toString('base64'), data.toString('base64')].join(':');
}

/** Decrypts what {@link seal} made; a different key, or any change to the string, is a {@link SecretBoxError}. */
export function open(sealed: string, key: SecretKey): string {
  const parts = sealed.split(':');
  if (parts.length !== 5 || parts[0] !== FORMAT) throw new SecretBoxError(`not a sealed secret of format ${FORMAT}`);
  const [format, keyId, iv, tag, data] = parts;
  if (keyId !== key.id) throw new SecretBoxError(`sealed with key ${keyId}, but the key in use is ${key.id}`);
  const decipher = createDecipheriv('aes-256-gcm', key.bytes, Buffer.from(iv, 'base64'));
  decipher.setAAD(Buffer.from(`${format}:${keyId}`));
  decipher.setAuthTag(Buffer.from(tag, 'base64'));
  try {
    return Buffer.concat([decipher.update(Buffer.from(data, 'base64')), decipher.final()]).toString('utf8');
  } catch (error) {
    throw new SecretBoxError('sealed secret failed authentication: it was altered or sealed with another key', { cause: error });
  }
}

/**
 * The key in `<dataDir>/<name>.key` (base64, mode 0600), generated on first use. For development only: production
 * configures its keys (loadConfig refuses to start without them). Several processes may start at once; the first
 * to create the file wins and the others read its key.
 */
export async function loadOrCreateKey(dataDir: string, name: string): Promise<SecretKey> {
  const file = path.join(dataDir, `${name}.key`);
  try {
    return parseSecretKey(await readFile(file, 'utf8'), file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  // Written whole under a private name, then linked into place: a reader never sees half a key.
  const draft = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  await writeFile(draft, `${randomBytes(KEY_BYTES).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  try {
    await link(draft, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    await unlink(draft);
  }
  return parseSecretKey(await readFile(file, 'utf8'), file);
}

export interface SecretKeys {
  /** Seals credential secrets. */
  encryption: SecretKey;
  /** Signs access tokens (HS256). */
  jwt: Buffer;
}

/** KAI_ENCRYPTION_KEY and KAI_JWT_SECRET, or in development keys kept in the data directory when they are unset. */
export async function loadSecretKeys(config: Pick<Config, 'dataDir' | 'production' | 'secrets'>): Promise<SecretKeys> {
  const { encryptionKey, jwtSecret } = config.secrets;
  if (config.production && (!encryptionKey || !jwtSecret)) {
    throw new SecretBoxError('KAI_ENCRYPTION_KEY and KAI_JWT_SECRET are required in production: generated keys are for development');
  }
  return {
    encryption: encryptionKey ? parseSecretKey(encryptionKey, 'KAI_ENCRYPTION_KEY') : await loadOrCreateKey(config.dataDir, 'encryption'),
    jwt: jwtSecret ? Buffer.from(jwtSecret, 'utf8') : (await loadOrCreateKey(config.dataDir, 'jwt-secret')).bytes,
  };
}
