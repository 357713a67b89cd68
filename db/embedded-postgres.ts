import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { freePort } from '../platform/dev-server';

export interface EmbeddedPostgresOptions {
  /** Directory that keeps the data across restarts, or `memory://` for a throwaway database (tests). */
  dir: string;
  /** Loopback port; 0 picks a free one. */
  port: number;
}

export interface EmbeddedPostgres {
  /** What clients connect to; hand it to child processes as DATABASE_URL. */
  url: string;
  stop(): Promise<void>;
}

/**
 * Room for every process of one installation (API, worker, CLI, migrations) to hold its one connection.
 * PGlite is a single session, so the socket server runs one query at a time whatever this number is.
 */
const MAX_CONNECTIONS = 32;

/** Runs PGlite (with pgvector) in this process and serves it over the PostgreSQL protocol on 127.0.0.1. */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  if (!options.dir.startsWith('memory://')) await mkdir(options.dir, { recursive: true });
  const db = await PGlite.create(options.dir, { extensions: { vector } });
  let server: PGLiteSocketServer | undefined;
  try {
    await db.exec('create extension if not exists vector');
    const port = options.port || (await freePort());
    server = new PGLiteSocketServer({ db, host: '127.0.0.1', port, maxConnections: MAX_CONNECTIONS });
    await server.start();
    const running = server;
    return {
      url: `postgres://postgres@127.0.0.1:${port}/postgres`,
      async stop() {
        await running.stop();
        if (!db.closed) await db.close();
      },
    };
  } catch (error) {
    await server?.stop();
    await db.close();
    throw error;
  }
}
