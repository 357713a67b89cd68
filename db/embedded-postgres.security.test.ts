import { chmod, lstat, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import type { EmbeddedPostgres } from './embedded-postgres';
import { spawnEmbeddedPostgres } from './embedded-postgres-process';

/**
 * The embedded database is the whole installation's data: it answers only a client that knows its password, and
 * its files are its owner's alone. PGlite starts slowly on a busy machine, hence the long timeouts.
 */
jest.setTimeout(240_000);

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function serve(dir: string): Promise<EmbeddedPostgres> {
  const server = await spawnEmbeddedPostgres({ dir, port: 0 });
  cleanups.push(() => server.stop());
  return server;
}

async function connectError(url: string): Promise<{ code?: string; message: string } | undefined> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 20_000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.end();
    return undefined;
  } catch (error) {
    return error as { code?: string; message: string };
  }
}

/** What the server answers a startup message with, before any password: the first message's type and auth code. */
function firstAnswer(port: number): Promise<{ type: string; authentication: number }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const parameters = Buffer.from('user\0postgres\0database\0postgres\0\0');
    const startup = Buffer.alloc(8);
    startup.writeInt32BE(8 + parameters.length);
    startup.writeInt32BE(196608, 4);
    socket.on('connect', () => socket.write(Buffer.concat([startup, parameters])));
    socket.once('data', (data) => {
      socket.destroy();
      resolve({ type: String.fromCharCode(data[0]), authentication: data.readInt32BE(5) });
    });
    socket.on('error', reject);
  });
}

test('answers only a client with the password: a wrong one and none are refused, a startup alone gets a SCRAM challenge', async () => {
  const server = await serve('memory://');
  const url = new URL(server.url);
  expect(url.password).toMatch(/^[0-9a-f]{64}$/);
  expect(await connectError(server.url)).toBeUndefined();

  const wrong = new URL(server.url);
  wrong.password = 'postgres';
  expect(await connectError(wrong.toString())).toMatchObject({ code: '28P01', message: 'password authentication failed for user "postgres"' });
  const none = new URL(server.url);
  none.password = '';
  expect(await connectError(none.toString())).toBeDefined();
  // What a tenant's credential postgres://postgres@127.0.0.1:<port>/postgres met: now a password request (SASL), not a session.
  expect(await firstAnswer(Number(url.port))).toEqual({ type: 'R', authentication: 10 });
});

async function modesUnder(dir: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir, { recursive: true })) {
    const stats = await lstat(path.join(dir, entry));
    const expected = stats.isDirectory() ? 0o700 : 0o600;
    if (!stats.isSymbolicLink() && (stats.mode & 0o777) !== expected) found.push(`${entry} ${(stats.mode & 0o777).toString(8)}`);
  }
  return found;
}

test('a data directory keeps one password, in a 0600 file, and its files are private (0700 directories, 0600 files)', async () => {
  const parent = await mkdtemp(path.join(tmpdir(), 'kai-embedded-private-'));
  cleanups.push(() => rm(parent, { recursive: true, force: true }));
  const dir = path.join(parent, 'pg');

  const first = await serve(dir);
  const passwordFile = path.join(parent, 'pg-password.key');
  expect((await lstat(passwordFile)).mode & 0o777).toBe(0o600);
  expect(Buffer.from((await readFile(passwordFile, 'utf8')).trim(), 'base64').toString('hex')).toBe(new URL(first.url).password);
  expect((await lstat(dir)).mode & 0o777).toBe(0o700);
  await first.stop();
  expect(await modesUnder(dir)).toEqual([]);

  // A directory written by an earlier version: world-writable files, a world-readable directory.
  await writeFile(path.join(dir, 'left-behind'), 'x', { mode: 0o666 });
  await chmod(path.join(dir, 'left-behind'), 0o666);
  await chmod(dir, 0o755);
  const second = await serve(dir);
  expect(new URL(second.url).password).toBe(new URL(first.url).password);
  expect((await lstat(dir)).mode & 0o777).toBe(0o700);
  expect((await lstat(path.join(dir, 'left-behind'))).mode & 0o777).toBe(0o600);
});
