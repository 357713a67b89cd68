import { randomUUID } from 'node:crypto';
import { migrateToLatest } from './orm';
import { createTestDatabase, type TestDatabase } from './test-database';

const SCOPES_MIGRATION = 'Migration20261207084422_invitations_key_scopes';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.close();
});

test('keys made before scopes existed keep reading, running and writing, but not admin', async () => {
  await db.orm.getMigrator().down({ to: SCOPES_MIGRATION });
  const connection = db.orm.em.getConnection();
  const [user, workspace, key] = [randomUUID(), randomUUID(), randomUUID()];
  await connection.execute(`insert into users (id, email, password_hash, created_at) values (?, 'old@example.com', 'x', now())`, [user]);
  await connection.execute(`insert into workspaces (id, name, created_at) values (?, 'Old', now())`, [workspace]);
  await connection.execute(`insert into api_keys (id, workspace_id, user_id, name, prefix, key_hash, created_at) values (?, ?, ?, 'old key', 'kai_key_old', 'hash', now())`, [key, workspace, user]);

  await migrateToLatest(db.orm);
  const [row] = await connection.execute<{ scopes: string[] }[]>(`select scopes from api_keys where id = ?`, [key]);
  expect(row.scopes).toEqual(['read', 'run', 'write']);
  // New keys name their scopes: the column keeps no default that could grant something by omission.
  const [column] = await connection.execute<{ column_default: string | null }[]>(`select column_default from information_schema.columns where table_name = 'api_keys' and column_name = 'scopes'`);
  expect(column.column_default).toBeNull();
});
