import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ensureTemporalCli } from '../platform/temporal-cli';
import { ensureTemporalServerTools } from '../platform/temporal-server';
import { startDevServer, type DevServer } from '../platform/dev-server';
import { bundleWorkflows } from '../worker/bundle-workflows';
import { startPostgresTemporalServer } from './temporal-postgres-server';

declare global {
  var kaiTestServer: DevServer | undefined;
}

/**
 * One real Temporal server and one workflow bundle for the whole test run. By default the dev server (in-memory,
 * free port); with KAI_TEST_TEMPORAL=postgres the production server of docker-compose.yml's version on PostgreSQL
 * (KAI_TEST_TEMPORAL_POSTGRES_URL, by default this machine's), 16 history shards, on fresh databases dropped at the
 * end: the topology a scaled-out deployment runs (docs/deploy.md).
 */
export default async function globalSetup(): Promise<void> {
  const started = Date.now();
  const dir = await mkdtemp(path.join(tmpdir(), 'kai-test-'));
  const [server, bundle] = await Promise.all([startServer(dir), bundleWorkflows(path.join(dir, 'workflow-bundle.js'))]);
  globalThis.kaiTestServer = server;
  process.env.KAI_TEST_TEMPORAL_ADDRESS = server.address;
  process.env.KAI_TEST_WORKFLOW_BUNDLE = bundle;
  process.env.KAI_TEST_DIR = dir;
  console.log(`\n${serverName()} at ${server.address}; workflows bundled (${Date.now() - started} ms)`);
}

const mode = () => process.env.KAI_TEST_TEMPORAL ?? 'dev';
const serverName = () => (mode() === 'postgres' ? 'Temporal server on PostgreSQL' : 'Temporal dev server');

async function startServer(dir: string): Promise<DevServer> {
  const cliPath = await ensureTemporalCli();
  if (mode() === 'dev') return startDevServer({ cliPath, port: 0 });
  if (mode() !== 'postgres') throw new Error(`KAI_TEST_TEMPORAL=${mode()}: expected "dev" (the default) or "postgres"`);
  return startPostgresTemporalServer({
    tools: await ensureTemporalServerTools(),
    cliPath,
    postgresUrl: process.env.KAI_TEST_TEMPORAL_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    logFile: path.join(dir, 'temporal-server.log'),
  });
}
