import { existsSync } from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import { startApiServer } from '../api/api-server';
import { buildApiServices } from '../api/build-services';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../db/embedded-postgres';
import { migrateToLatest, openDatabase } from '../db/orm';
import { loadSecretKeys } from '../db/secret-box';
import { ConfigError, loadConfig, type Config } from '../platform/config';
import { startDevServer, type DevServer } from '../platform/dev-server';
import { ensureTemporalCli } from '../platform/temporal-cli';
import { clientOn, connectWorkerConnection } from '../platform/temporal-connection';
import { startTracing, traceIdsMixin } from '../platform/tracing/tracing';
import { installWorkerRuntime } from '../worker/install-runtime';
import { openKaiWorker } from '../worker/kai-worker';
import { assertPortsFree, type NamedPort } from './start/ports';
import { prefixLines } from './start/prefix-lines';
import { SERVER_WORKFLOW_BUNDLE } from './start/server-dist';
import { StartupError } from './start/startup-error';
import { listenForStop, type StopRequest } from './start/stop-signal';
import { Teardown } from './start/teardown';

/** A worker whose shutdown outlasts this (sdk-core's poll-shutdown race, temporalio/sdk-rust#1197) is left to exit. */
const WORKER_STOP_WAIT_MS = 20_000;

type Ending = { kind: 'stop'; signal: NodeJS.Signals } | { kind: 'crash'; what: string; error?: unknown };

/**
 * `npm start`: the API, the worker and the embedded database in this one process, and a Temporal dev server as its
 * child (unless TEMPORAL_ADDRESS names a cluster); Ctrl-C or SIGTERM stops them in order. Run compiled (see
 * scripts/build-server.ts), so no TypeScript loader and no bundler stay in memory.
 */
async function main(stop: StopRequest): Promise<number> {
  const config = loadConfig();
  await assertPortsFree(portsToCheck(config));
  installWorkerRuntime(config, { embedded: true });
  const teardown = new Teardown((line) => console.error(`[kai] ${line}`));
  try {
    const devServer = config.temporal.address ? undefined : await startLocalTemporal(config);
    if (devServer) teardown.add('the Temporal dev server', () => devServer.stop());
    if (stop.received()) return 0;
    const database = config.database.url ? undefined : await startLocalDatabase(config);
    if (database) teardown.add('the embedded database', () => database.stop());
    const local = withLocalServices(config, devServer, database);
    await prepareDatabase(local, Boolean(database));
    if (stop.received()) return 0;
    const ending = await serve(local, { devServer, embedded: Boolean(database) }, stop, teardown);
    if (ending.kind === 'stop') console.error(`[kai] ${ending.signal}: stopping…`);
    else console.error(`[kai] ${ending.what} stopped unexpectedly${ending.error ? `: ${describe(ending.error)}` : ''}; stopping everything`);
    return ending.kind === 'stop' ? 0 : 1;
  } finally {
    await teardown.run();
  }
}

function portsToCheck(config: Config): NamedPort[] {
  const ports: NamedPort[] = [{ port: config.port, variable: 'PORT' }];
  if (config.workerHttpPort) ports.push({ port: config.workerHttpPort, variable: 'KAI_WORKER_HTTP_PORT' });
  if (!config.database.url && config.database.embeddedPort) ports.push({ port: config.database.embeddedPort, variable: 'KAI_EMBEDDED_DB_PORT' });
  if (!config.temporal.address) {
    ports.push({ port: config.temporal.devPort, variable: 'TEMPORAL_DEV_PORT' }, { port: config.temporal.uiPort, variable: 'TEMPORAL_UI_PORT' });
  }
  return ports;
}

/** The dev server keeps its state in the data directory, so runs survive a restart of `npm start`. */
async function startLocalTemporal(config: Config): Promise<DevServer> {
  try {
    const cliPath = await ensureTemporalCli(config.temporal.cliPath, (line) => console.error(`[kai] ${line}`));
    console.error('[kai] starting the Temporal dev server…');
    const server = await startDevServer({
      cliPath,
      port: config.temporal.devPort,
      uiPort: config.temporal.uiPort,
      dbFile: path.join(config.dataDir, 'temporal.db'),
      namespace: config.temporal.namespace,
    });
    if (server.process.stderr) prefixLines(server.process.stderr, '[temporal]', process.stderr);
    return server;
  } catch (error) {
    throw new StartupError(describe(error), { cause: error });
  }
}

/** PGlite is one session, served on a loopback socket to the API, the worker and tools such as the `kai` CLI. */
async function startLocalDatabase(config: Config): Promise<EmbeddedPostgres> {
  try {
    console.error('[kai] starting the embedded database (PGlite with pgvector)…');
    return await startEmbeddedPostgres({ dir: config.database.embeddedDir, port: config.database.embeddedPort });
  } catch (error) {
    throw new StartupError(`the embedded database did not start: ${describe(error)}`, { cause: error });
  }
}

/** The configuration with what this process started filled in, and the workflow bundle built beside it. */
function withLocalServices(config: Config, devServer: DevServer | undefined, database: EmbeddedPostgres | undefined): Config {
  const prebuilt = existsSync(SERVER_WORKFLOW_BUNDLE) ? SERVER_WORKFLOW_BUNDLE : undefined;
  return {
    ...config,
    workflowBundlePath: config.workflowBundlePath ?? prebuilt,
    database: { ...config.database, url: config.database.url ?? database?.url },
    temporal: { ...config.temporal, address: config.temporal.address ?? devServer?.address, uiUrl: config.temporal.uiUrl ?? devServer?.uiUrl },
  };
}

/** Migrations run once, here, before the API and the worker open the database; the keys are created first too. */
async function prepareDatabase(config: Config, embedded: boolean): Promise<void> {
  await loadSecretKeys(config);
  const orm = await openDatabase(config.database.url as string, { embedded });
  try {
    const applied = await migrateToLatest(orm);
    if (applied.length > 0) console.error(`[kai] applied migrations: ${applied.join(', ')}`);
  } finally {
    await orm.close();
  }
}

/**
 * The worker and the API share one Temporal connection, so runs the API starts go eagerly to this worker. What is
 * started is stopped in reverse: the API first (its open requests may wait on runs), then the worker.
 */
async function serve(config: Config, local: { devServer?: DevServer; embedded: boolean }, stop: StopRequest, teardown: Teardown): Promise<Ending> {
  const { devServer, embedded } = local;
  const tracing = config.otlpEndpoint ? startTracing({ serviceName: 'kai-fusion', endpoint: config.otlpEndpoint }) : undefined;
  if (tracing) teardown.add('tracing', () => tracing.shutdown());
  const connection = await connectWorkerConnection(config.temporal).catch((error: unknown) => {
    throw new StartupError(`could not connect to Temporal at ${config.temporal.address}: ${describe(error)}`, { cause: error });
  });
  teardown.add('the Temporal connection', () => connection.close());
  const { worker, close: closeWorker } = await openKaiWorker(config, connection, tracing);
  teardown.add("the worker's database connection", closeWorker);
  const workerRun = worker.run();
  teardown.add('the worker', async () => {
    if (worker.getState() === 'RUNNING') worker.shutdown();
    await Promise.race([workerRun.catch(() => undefined), new Promise((resolve) => setTimeout(resolve, WORKER_STOP_WAIT_MS).unref())]);
  });

  const logger = pino({ level: config.logLevel, mixin: traceIdsMixin });
  const services = await buildApiServices(config, logger, clientOn(connection, config.temporal));
  teardown.add("the API's database connection", () => services.orm.close());
  const api = await startApiServer(services, { port: config.port, logger });
  teardown.add('the API', () => api.close());
  printBanner(config, devServer, embedded);

  return Promise.race<Ending>([
    stop.signal.then((signal) => ({ kind: 'stop', signal })),
    workerRun.then(
      () => ({ kind: 'crash', what: 'the worker' }),
      (error: unknown) => ({ kind: 'crash', what: 'the worker', error }),
    ),
    ...(devServer ? [new Promise<Ending>((resolve) => devServer.process.once('exit', (code, signal) => resolve({ kind: 'crash', what: `the Temporal dev server (${signal ?? `exit code ${code}`})` })))] : []),
  ]);
}

function printBanner(config: Config, devServer: DevServer | undefined, embedded: boolean): void {
  const rows: [string, string][] = [
    ['Canvas', `http://localhost:${config.port}/`],
    ['API', `http://localhost:${config.port}/api/v1  (docs: /api/docs, readiness: /health/ready, metrics: /metrics)`],
    ...(devServer?.uiUrl ? [['Temporal Web UI', devServer.uiUrl] as [string, string]] : []),
    ['Temporal gRPC', `${config.temporal.address}  (namespace ${config.temporal.namespace}, task queue ${config.temporal.taskQueue})`],
    ['Database', embedded ? `embedded PGlite in ${config.database.embeddedDir}` : 'DATABASE_URL'],
    ['Data', config.dataDir],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  console.log(['', 'KAI-Fusion is running', ...rows.map(([label, value]) => `  ${label.padEnd(width)}  ${value}`), 'Press Ctrl-C to stop.', ''].join('\n'));
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

const stop = listenForStop();
main(stop).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (stop.received()) process.exit(0);
    console.error(error instanceof ConfigError || error instanceof StartupError ? error.message : error);
    process.exit(1);
  },
);
