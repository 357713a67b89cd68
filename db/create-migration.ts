import path from 'node:path';
import { startEmbeddedPostgres } from './embedded-postgres';
import { migrateToLatest, openDatabase } from './orm';

/**
 * Writes the migration that takes the schema of the committed migrations to the one the entities describe:
 * `npx tsx db/create-migration.ts <name>`. It diffs against a scratch in-memory database, never a real one. Read the file
 * it writes, then list its class in db/migrations/index.ts.
 */
async function main(): Promise<void> {
  const server = await startEmbeddedPostgres({ dir: 'memory://', port: 0 });
  try {
    const orm = await openDatabase(server.url, { embedded: true });
    try {
      await migrateToLatest(orm);
      const name = process.argv[2];
      const result = await orm.getMigrator().createMigration(path.join(__dirname, 'migrations'), false, false, name);
      console.log(result.fileName ? `wrote db/migrations/${result.fileName}` : 'the schema matches the entities: no migration needed');
    } finally {
      await orm.close();
    }
  } finally {
    await server.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
