import { randomBytes } from 'node:crypto';
import { spawnEmbeddedPostgres } from './embedded-postgres-process';
import { migrateToLatest, openDatabase, type Database } from './orm';
import { withAdmin } from './postgres-admin';

export interface TestDatabase {
  url: string;
  /** Connected and migrated to the latest schema. */
  orm: Database;
  /** Closes the ORM and removes the database. */
  close(): Promise<void>;
}

/**
 * A fresh, migrated database for one test file (or benchmark). With a PostgreSQL server's URL (by default
 * KAI_TEST_DATABASE_URL, e.g. postgres://postgres@127.0.0.1:5432/test) it is a new uniquely named database on that
 * server, dropped on close; without, an in-memory embedded PGlite served from a child process on a free port.
 */
export async function createTestDatabase(serverUrl: string | undefined = process.env.KAI_TEST_DATABASE_URL): Promise<TestDatabase> {
  if (!serverUrl) {
    const server = await spawnEmbeddedPostgres({ dir: 'memory://', port: 0 });
    return openMigrated(server.url, () => server.stop());
  }
  const name = `kai_test_${randomBytes(6).toString('hex')}`;
  await withAdmin(serverUrl, (admin) => admin.raw(`create database "${name}"`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return openMigrated(url.toString(), () => withAdmin(serverUrl, (admin) => admin.raw(`drop database if exists "${name}" with (force)`)));
}

async function openMigrated(url: string, remove: () => Promise<unknown>): Promise<TestDatabase> {
  try {
    const orm = await openDatabase(url);
    try {
      await migrateToLatest(orm);
    } catch (error) {
      await orm.close();
      throw error;
    }
    return {
      url,
      orm,
      async close() {
        await orm.close();
        await remove();
      },
    };
  } catch (error) {
    await remove();
    throw error;
  }
}
