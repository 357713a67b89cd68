import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { spawnEmbeddedPostgres } from '../../db/embedded-postgres-process';
import type { EmbeddedPostgres } from '../../db/embedded-postgres';
import { migrateToLatest, openDatabase, type Database } from '../../db/orm';
import { freePort, startDevServer, type DevServer } from '../../platform/dev-server';
import { ensureTemporalCli } from '../../platform/temporal-cli';
import { serveApiApp, type ApiApp } from '../../test/api-harness';
import { createTemporalHarness, quietRuntime, type TemporalHarness } from '../../test/temporal-harness';

/**
 * Readiness against dependencies this test owns, so it can take them away: its own Temporal dev server (a file
 * database, restarted on the same port) and its own embedded database (a data directory, restarted on its port).
 */
let dir: string;
let cliPath: string;
let temporalPort: number;
let databasePort: number;
let devServer: DevServer;
let database: EmbeddedPostgres;
let orm: Database;
let temporal: TemporalHarness;
let api: ApiApp;

const startTemporal = () => startDevServer({ cliPath, port: temporalPort, dbFile: path.join(dir, 'temporal.db') });
const startDatabase = () => spawnEmbeddedPostgres({ dir: path.join(dir, 'pg'), port: databasePort });

beforeAll(async () => {
  quietRuntime('ERROR');
  dir = await mkdtemp(path.join(tmpdir(), 'kai-health-'));
  [cliPath, temporalPort, databasePort] = await Promise.all([ensureTemporalCli(), freePort(), freePort()]);
  [devServer, database] = await Promise.all([startTemporal(), startDatabase()]);
  orm = await openDatabase(database.url, { embedded: true });
  await migrateToLatest(orm);
  temporal = await createTemporalHarness({ address: devServer.address, taskQueue: 'health-test' });
  api = await serveApiApp({ orm, temporal, logger: pino({ level: 'silent' }) });
}, 120_000);

afterAll(async () => {
  await api?.close();
  await temporal?.close();
  await orm?.close();
  await Promise.all([devServer?.stop(), database?.stop()]);
  await rm(dir, { recursive: true, force: true });
}, 60_000);

interface ReadyBody {
  status: string;
  components: Record<string, { status: string; latencyMs: number; error?: string }>;
}

async function ready(): Promise<{ status: number; body: ReadyBody }> {
  const response = await fetch(`${api.url}/health/ready`);
  return { status: response.status, body: (await response.json()) as ReadyBody };
}

/** Polls readiness until it answers `status`; dependencies take a moment to be seen coming back. */
async function waitForReadiness(status: number, timeoutMs = 60_000): Promise<ReadyBody> {
  const deadline = Date.now() + timeoutMs;
  let last = await ready();
  while (last.status !== status) {
    if (Date.now() > deadline) throw new Error(`readiness stayed ${last.status}: ${JSON.stringify(last.body)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
    last = await ready();
  }
  return last.body;
}

test('readiness reports every component with its latency once the worker polls', async () => {
  const body = await waitForReadiness(200);
  expect(body.status).toBe('ready');
  expect(Object.keys(body.components).sort()).toEqual(['database', 'temporal', 'workers']);
  for (const component of Object.values(body.components)) {
    expect(component.status).toBe('up');
    expect(component.latencyMs).toBeGreaterThanOrEqual(0);
  }
  expect(body.components.workers).toMatchObject({ taskQueue: 'health-test', workflowPollers: expect.any(Number) });
});

test('readiness turns 503 while the Temporal server is down and 200 once it is back; liveness stays 200', async () => {
  await waitForReadiness(200);
  await devServer.stop();
  const down = await waitForReadiness(503, 15_000);
  expect(down.components.temporal.status).toBe('down');
  expect(down.components.database.status).toBe('up');
  expect((await fetch(`${api.url}/health`)).status).toBe(200);

  devServer = await startTemporal();
  const back = await waitForReadiness(200, 90_000);
  expect(back.components.temporal.status).toBe('up');
}, 180_000);

test('readiness turns 503 while the database is down and 200 once it is back', async () => {
  await waitForReadiness(200);
  await database.stop();
  const down = await waitForReadiness(503, 15_000);
  expect(down.components.database.status).toBe('down');
  expect(down.components.temporal.status).toBe('up');

  database = await startDatabase();
  const back = await waitForReadiness(200, 30_000);
  expect(back.components.database).toMatchObject({ status: 'up', migrations: 'current' });
}, 120_000);

test('the probes are app-level routes outside /api/v1 and need no token', async () => {
  expect((await fetch(`${api.url}/api/v1/health/ready`)).status).toBe(404);
  expect((await fetch(`${api.url}/health`)).status).toBe(200);
});
