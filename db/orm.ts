import { Migrator } from '@mikro-orm/migrations';
import { MikroORM, knex, type Knex } from '@mikro-orm/postgresql';
import type { Config } from '../platform/config';
import { entities } from './entities';
import { migrations } from './migrations';
import { addVectorChunksIfPossible, VECTOR_CHUNKS_CATCH_UP } from './vector-chunks-catch-up';

export type Database = MikroORM;

export interface OpenDatabaseOptions {
  /**
   * Whether the server is the embedded PGlite one. Its socket runs every connection's queries through one session,
   * where a second connection awaited inside a transaction would wait for ever: so each process holds one
   * connection. Left out, the server is asked.
   */
  embedded?: boolean;
}

/** Advisory lock that serialises migrations across processes on PostgreSQL: 'kai' in ASCII, taken by nothing else. */
const MIGRATION_LOCK_KEY = 0x6b6169;

/**
 * Connects the ORM to a PostgreSQL URL. It never changes the schema: that is {@link migrateToLatest}'s job.
 * Every unit of work needs its own `em.fork()` (there is no global context).
 */
export async function openDatabase(url: string, options: OpenDatabaseOptions = {}): Promise<Database> {
  const embedded = options.embedded ?? (await serverIsPGlite(url));
  return MikroORM.init({
    clientUrl: url,
    entities,
    extensions: [Migrator],
    migrations: { migrationsList: migrations, snapshot: false, silent: true, transactional: true, allOrNothing: true },
    // Whether these exist depends on pgvector (see the vectors migration); they are raw SQL, not entities.
    schemaGenerator: { skipTables: ['vector_collections', 'vector_chunks'] },
    pool: embedded ? { min: 0, max: 1 } : {},
    ensureDatabase: false,
    allowGlobalContext: false,
    debug: false,
  });
}

/**
 * Opens the database of this installation. DATABASE_URL names it; under `npm start` without one, the supervisor
 * serves the embedded database and hands its URL to the API and worker as DATABASE_URL.
 */
export async function openConfiguredDatabase(config: Pick<Config, 'database'>): Promise<Database> {
  if (!config.database.url) {
    throw new Error(
      'DATABASE_URL is not set: the embedded database is served by `npm start`, which passes its URL to the API and worker; start them through it or set DATABASE_URL',
    );
  }
  return openDatabase(config.database.url);
}

/**
 * Applies the migrations not yet applied, in one transaction, then the vector chunk table if pgvector has been
 * installed since (see {@link addVectorChunksIfPossible}); returns their names. On PostgreSQL several processes
 * may call it at once: an advisory lock makes the later ones wait and then find nothing left to do. The embedded
 * database has one owner, the `npm start` supervisor, which migrates before it starts the API and worker; a lock
 * held on another connection would stop PGlite's single session, so none is taken there.
 */
export async function migrateToLatest(orm: Database): Promise<string[]> {
  const migrator = orm.getMigrator();
  const connection = orm.em.getConnection().getKnex();
  const migrate = async (schema: Knex) => {
    const applied = (await migrator.up()).map((migration) => migration.name);
    return (await addVectorChunksIfPossible(schema)) ? [...applied, VECTOR_CHUNKS_CATCH_UP] : applied;
  };
  if (await serverIsPGlite(connection)) return migrate(connection);
  return connection.transaction(async (lock) => {
    await lock.raw('select pg_advisory_xact_lock(?)', [MIGRATION_LOCK_KEY]);
    return migrate(lock);
  });
}

async function serverIsPGlite(target: string | Knex): Promise<boolean> {
  const connection = typeof target === 'string' ? knex({ client: 'pg', connection: target, pool: { min: 0, max: 1 } }) : target;
  try {
    const result = await connection.raw<{ rows: { version: string }[] }>('select version() as version');
    return result.rows[0].version.includes('PGlite');
  } finally {
    if (typeof target === 'string') await connection.destroy();
  }
}
