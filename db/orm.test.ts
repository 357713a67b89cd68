import { loadConfig } from '../platform/config';
import { Workspace } from './entities';
import { openConfiguredDatabase } from './orm';
import { createTestDatabase, type TestDatabase } from './test-database';

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.close();
});

test('the configured database is DATABASE_URL, with one connection per process when it is the embedded server', async () => {
  const orm = await openConfiguredDatabase(loadConfig({ DATABASE_URL: db.url }));
  try {
    expect(orm.config.get('pool')).toEqual(process.env.KAI_TEST_DATABASE_URL ? {} : { min: 0, max: 1 });
    expect(await orm.em.fork().count(Workspace)).toBeGreaterThanOrEqual(0);
  } finally {
    await orm.close();
  }
});

test('there is no global entity manager: each unit of work forks its own', async () => {
  await expect(db.orm.em.count(Workspace)).rejects.toThrow(/global EntityManager instance/);
});

test('without DATABASE_URL a process is told to start through npm start or set one', async () => {
  await expect(openConfiguredDatabase(loadConfig({}))).rejects.toThrow('DATABASE_URL is not set');
});
