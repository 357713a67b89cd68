import { migrations } from './migrations';
import { migrateToLatest } from './orm';
import { VECTOR_CHUNKS_CATCH_UP } from './vector-chunks-catch-up';
import { indexName, VectorCollections } from './vector-collections';
import { createTestDatabase, type TestDatabase } from './test-database';

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.close();
});

const ENTITY_TABLES = [
  'api_keys',
  'chat_endpoints',
  'chat_messages',
  'chat_rate_buckets',
  'chat_sessions',
  'conversation_summaries',
  'conversation_turns',
  'credentials',
  'invitations',
  'memberships',
  'node_live_events',
  'node_outputs',
  'refresh_tokens',
  'runs',
  'schedule_links',
  'sign_in_attempts',
  'users',
  'webhook_deliveries',
  'webhook_rate_buckets',
  'webhooks',
  'workflow_versions',
  'workflows',
  'workspaces',
];

test('the migrations create every table from an empty database', async () => {
  const rows = await db.orm.em.getConnection().execute<{ table_name: string }[]>(
    `select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`,
  );
  // Vector tables are plain SQL (their column types vary per collection); chunks exist only where pgvector does.
  const [{ available }] = await db.orm.em.getConnection().execute<{ available: boolean }[]>(`select exists (select 1 from pg_available_extensions where name = 'vector') as available`);
  const vectorTables = available ? ['vector_chunks', 'vector_collections'] : ['vector_collections'];
  expect(rows.map((row) => row.table_name)).toEqual([...ENTITY_TABLES, ...vectorTables, 'mikro_orm_migrations'].sort());
});

test('every listed migration is recorded as applied, and migrating again applies nothing', async () => {
  const executed = await db.orm.getMigrator().getExecutedMigrations();
  expect(executed.map((row) => row.name)).toEqual(migrations.map((migration) => migration.name));
  expect(await migrateToLatest(db.orm)).toEqual([]);
  expect(await migrateToLatest(db.orm)).toEqual([]);
  expect(await db.orm.getMigrator().getExecutedMigrations()).toHaveLength(migrations.length);
});

test('the migrated schema is the one the entities describe', async () => {
  expect(await db.orm.getMigrator().checkMigrationNeeded()).toBe(false);
});

test('the run and workflow list indexes order by newest first, then id, within a workspace', async () => {
  const [index] = await db.orm.em.getConnection().execute<{ indexdef: string }[]>(
    `select indexdef from pg_indexes where indexname = 'runs_workspace_started_at_id_index'`,
  );
  expect(index.indexdef).toMatch(/\(workspace_id, started_at DESC, id DESC\)$/);
  const [workflows] = await db.orm.em.getConnection().execute<{ indexdef: string }[]>(
    `select indexdef from pg_indexes where indexname = 'workflows_workspace_updated_at_id_index'`,
  );
  expect(workflows.indexdef).toMatch(/\(workspace_id, updated_at DESC, id DESC\)$/);
});

test('a database migrated before pgvector was installed gets the chunk table and its collections’ indexes on the next migrate', async () => {
  const knex = db.orm.em.getConnection().getKnex();
  const chunkTablePresent = async () => (await knex.raw<{ rows: { present: boolean }[] }>(`select to_regclass('vector_chunks') is not null as present`)).rows[0].present;
  const [{ available }] = await db.orm.em.getConnection().execute<{ available: boolean }[]>(`select exists (select 1 from pg_available_extensions where name = 'vector') as available`);
  if (!available) {
    // This server has no pgvector (the machine's PostgreSQL 15): migrating goes on without the chunk table.
    expect(await migrateToLatest(db.orm)).toEqual([]);
    expect(await chunkTablePresent()).toBe(false);
    return;
  }
  const { collection } = await new VectorCollections(knex).ensure(undefined, `before-pgvector-${Date.now()}`, { dimension: 3, metric: 'cosine' });
  await knex.raw('drop table vector_chunks');
  await knex.raw('drop extension vector');
  expect(await chunkTablePresent()).toBe(false);

  expect(await migrateToLatest(db.orm)).toEqual([VECTOR_CHUNKS_CATCH_UP]);
  expect(await chunkTablePresent()).toBe(true);
  const indexes = await knex.raw<{ rows: unknown[] }>(`select 1 from pg_indexes where indexname = ?`, [indexName(collection.id)]);
  expect(indexes.rows).toHaveLength(1);
  expect(await migrateToLatest(db.orm)).toEqual([]);
});
