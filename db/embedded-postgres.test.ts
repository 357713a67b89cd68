import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { EmbeddedPostgres } from './embedded-postgres';
import { spawnEmbeddedPostgres } from './embedded-postgres-process';
import { Workspace } from './entities';
import { migrateToLatest, openDatabase, type Database } from './orm';

/** PGlite starts in seconds alone but takes most of a minute on a machine busy with other suites; one test starts it twice. */
jest.setTimeout(240_000);

const opened: { close(): Promise<unknown> }[] = [];
afterEach(async () => {
  for (const resource of opened.splice(0).reverse()) await resource.close();
});

async function serve(dir: string): Promise<EmbeddedPostgres> {
  const server = await spawnEmbeddedPostgres({ dir, port: 0 });
  opened.push({ close: () => server.stop() });
  return server;
}

async function connect(url: string): Promise<Database> {
  const orm = await openDatabase(url);
  opened.push(orm);
  return orm;
}

/** Fails instead of hanging when a query never gets its turn. */
function within<T>(ms: number, promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function settledYet(promise: Promise<unknown>): Promise<boolean> {
  return Promise.race([promise.then(() => true, () => true), new Promise<boolean>((resolve) => setImmediate(() => resolve(false)))]);
}

test('data and the vector extension persist across a stop and start on a directory', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'kai-embedded-pg-'));
  opened.push({ close: () => rm(dir, { recursive: true, force: true }) });

  const first = await serve(dir);
  const before = await connect(first.url);
  await migrateToLatest(before);
  const em = before.em.fork();
  const workspace = em.create(Workspace, { name: 'kept across restarts' });
  await em.flush();
  await before.close();
  await first.stop();

  const second = await serve(dir);
  const after = await connect(second.url);
  expect(await migrateToLatest(after)).toEqual([]);
  expect(await after.em.fork().findOneOrFail(Workspace, { id: workspace.id })).toMatchObject({ name: 'kept across restarts' });
  const extensions = await after.em.getConnection().execute<{ extname: string }[]>('select extname from pg_extension');
  expect(extensions.map((row) => row.extname)).toContain('vector');
});

test('each process holds one connection, and a transaction makes the others wait instead of deadlocking', async () => {
  const server = await serve('memory://');
  // Two ORMs stand for the API and worker processes, each with its own single connection.
  const api = await connect(server.url);
  const worker = await connect(server.url);
  expect(api.config.get('pool')).toEqual({ min: 0, max: 1 });
  await migrateToLatest(api);

  let workerRead: Promise<number> | undefined;
  let sameProcessRead: Promise<number> | undefined;
  const created = await within(
    20_000,
    api.em.fork().transactional(async (em) => {
      const workspace = em.create(Workspace, { name: 'written in a transaction' });
      await em.flush();
      workerRead = worker.em.fork().count(Workspace, { id: workspace.id });
      sameProcessRead = api.em.fork().count(Workspace, { id: workspace.id });
      await em.findOneOrFail(Workspace, { id: workspace.id }, { disableIdentityMap: true });
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(await settledYet(workerRead)).toBe(false);
      expect(await settledYet(sameProcessRead)).toBe(false);
      return workspace;
    }),
    'the transaction',
  );
  // Both reads ran after the commit, so both see the row.
  expect(await within(20_000, workerRead as Promise<number>, 'the other process’s read')).toBe(1);
  expect(await within(20_000, sameProcessRead as Promise<number>, 'the same process’s read')).toBe(1);
  expect(await api.em.fork().count(Workspace, { id: created.id })).toBe(1);
});
