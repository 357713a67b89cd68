/**
 * Tests that need pgvector run on the embedded PGlite database, which has it, even in the CI job that points
 * createTestDatabase() at a PostgreSQL server without the extension (KAI_TEST_DATABASE_URL). Jest gives each test
 * file its own copy of process.env, so this affects only the file that calls it.
 */
export function requireEmbeddedDatabaseForPgvector(): void {
  delete process.env.KAI_TEST_DATABASE_URL;
}
