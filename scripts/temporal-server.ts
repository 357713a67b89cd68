import { ensureTemporalServerTools } from '../platform/temporal-server';

/**
 * `npm run temporal:server`: prints where the production Temporal server and its SQL tool are, at docker-compose.yml's
 * version, building them into .tools/bin first when missing or of another version (CI's install step runs this).
 */
async function main() {
  const tools = await ensureTemporalServerTools();
  console.log(`temporal-server ${tools.tag}: ${tools.serverPath}`);
  console.log(`temporal-sql-tool ${tools.tag}: ${tools.sqlToolPath}`);
  console.log(`PostgreSQL schema: ${tools.postgresSchemaDir}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
