import { migrateToLatest, openConfiguredDatabase } from '../db/orm';
import { ConfigError, loadConfig } from '../platform/config';

/**
 * `node --import tsx scripts/migrate.ts`: applies the pending migrations to DATABASE_URL and exits. Deployments run
 * it once before the API and workers start (the compose file's `migrate` job), since neither process changes the
 * schema itself; `npm start` migrates on its own. Several copies may run at once: migrateToLatest serialises them.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const orm = await openConfiguredDatabase(config);
  try {
    const applied = await migrateToLatest(orm);
    console.error(applied.length > 0 ? `applied migrations: ${applied.join(', ')}` : 'the database schema is current');
  } finally {
    await orm.close();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof ConfigError ? error.message : error);
    process.exit(1);
  },
);
