import { spawn } from 'node:child_process';
import path from 'node:path';
import { spawnEmbeddedPostgres } from '../db/embedded-postgres-process';
import type { EmbeddedPostgres } from '../db/embedded-postgres';
import { migrations } from '../db/migrations';
import { openDatabase } from '../db/orm';

const REPO_ROOT = path.resolve(__dirname, '..');

/** Runs scripts/migrate.ts as the compose `migrate` job does, with only the given configuration. */
function runMigrate(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/migrate.ts'], { cwd: REPO_ROOT, env: { PATH: process.env.PATH, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => void (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stderr }));
  });
}

let server: EmbeddedPostgres;

beforeAll(async () => {
  server = await spawnEmbeddedPostgres({ dir: 'memory://', port: 0 });
});
afterAll(async () => {
  await server?.stop();
});

it('applies every migration to DATABASE_URL, then finds nothing left to do', async () => {
  const first = await runMigrate({ DATABASE_URL: server.url });
  expect(first).toMatchObject({ code: 0 });
  expect(first.stderr).toContain(`applied migrations: ${migrations.map((migration) => migration.name).join(', ')}`);

  const orm = await openDatabase(server.url, { embedded: true });
  try {
    const executed = await orm.getMigrator().getExecutedMigrations();
    expect(executed.map((migration) => migration.name)).toEqual(migrations.map((migration) => migration.name));
  } finally {
    await orm.close();
  }

  const second = await runMigrate({ DATABASE_URL: server.url });
  expect(second).toMatchObject({ code: 0 });
  expect(second.stderr).toContain('the database schema is current');
});

it('exits 1 naming the variable when the configuration is wrong', async () => {
  const result = await runMigrate({ DATABASE_URL: 'mysql://db/kai' });
  expect(result.code).toBe(1);
  expect(result.stderr).toContain('DATABASE_URL: expected a postgres:// URL');
});
