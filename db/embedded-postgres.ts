import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { EMBEDDED_START_PARAMS } from './embedded-postgres-settings';
import { freePort } from '../platform/dev-server';
import { makePrivate } from '../platform/private-files';
import { startPasswordFront, type PasswordFront } from './embedded-postgres-auth';
import { loadOrCreateKey } from './secret-box';

export interface EmbeddedPostgresOptions {
  /** Directory that keeps the data across restarts, or `memory://` for a throwaway database (tests). */
  dir: string;
  /** Loopback port; 0 picks a free one. */
  port: number;
}

export interface EmbeddedPostgres {
  /** What clients connect to, password included; hand it to child processes as DATABASE_URL. */
  url: string;
  stop(): Promise<void>;
}

/**
 * Room for every process of one installation (API, worker, CLI, migrations) to hold its one connection.
 * PGlite is a single session, so the socket server runs one query at a time whatever this number is.
 */
const MAX_CONNECTIONS = 32;

/**
 * Runs PGlite (with pgvector) in this process and serves it over the PostgreSQL protocol on 127.0.0.1, behind a
 * password (see embedded-postgres-auth.ts). A directory's password is generated once and kept beside it in
 * `<dir>-password.key` (mode 0600, like the data directory's other keys); a `memory://` database gets a fresh one.
 * The directory is kept private (0700, files 0600): PGlite creates its files world-writable, so they are put right
 * on start and again on stop, and nothing inside is reachable by other users meanwhile.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const onDisk = !options.dir.startsWith('memory://');
  if (onDisk) {
    await mkdir(options.dir, { recursive: true, mode: 0o700 });
    await makePrivate(options.dir);
  }
  const password = onDisk ? (await loadOrCreateKey(path.dirname(options.dir), `${path.basename(options.dir)}-password`)).bytes.toString('hex') : randomBytes(32).toString('hex');
  // The unauthenticated socket lives in a directory only this user can enter; the password front is the way in.
  const socketDir = await mkdtemp(path.join(tmpdir(), 'kai-pg-'));
  const db = await PGlite.create(options.dir, { extensions: { vector }, startParams: EMBEDDED_START_PARAMS });
  let server: PGLiteSocketServer | undefined;
  let front: PasswordFront | undefined;
  try {
    await db.exec('create extension if not exists vector');
    const backend = path.join(socketDir, 'pglite.sock');
    server = new PGLiteSocketServer({ db, path: backend, maxConnections: MAX_CONNECTIONS });
    await server.start();
    const port = options.port || (await freePort());
    front = await startPasswordFront({ host: '127.0.0.1', port, password, backend });
    const [running, serving] = [server, front];
    return {
      url: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`,
      async stop() {
        await serving.stop();
        await running.stop();
        if (!db.closed) await db.close();
        await rm(socketDir, { recursive: true, force: true });
        if (onDisk) await makePrivate(options.dir);
      },
    };
  } catch (error) {
    await front?.stop();
    await server?.stop();
    await db.close();
    await rm(socketDir, { recursive: true, force: true });
    throw error;
  }
}
