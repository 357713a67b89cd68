import path from 'node:path';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../db/embedded-postgres';
import { migrateToLatest, openDatabase } from '../db/orm';
import { loadSecretKeys } from '../db/secret-box';
import { ConfigError, loadConfig, type Config } from '../platform/config';
import { startDevServer, type DevServer } from '../platform/dev-server';
import { ensureTemporalCli } from '../platform/temporal-cli';
import { describeExit, startChild, type ChildExit, type SupervisedChild } from './start/child-process';
import { assertPortsFree, type NamedPort } from './start/ports';
import { prefixLines } from './start/prefix-lines';
import { StartupError } from './start/startup-error';
import { listenForStop, type StopRequest } from './start/stop-signal';
import { waitForHttp } from './start/wait-for-http';

const REPO_ROOT = path.resolve(__dirname, '..');
/** How long the worker and the API get to shut down cleanly after SIGTERM before they are killed. */
const CHILD_GRACE_MS = 20_000;
/** The worker bundles workflows/ before it polls; the API answers long before that. */
const API_READY_TIMEOUT_MS = 60_000;

type Ending = { kind: 'stop'; signal: NodeJS.Signals } | { kind: 'crash'; exit: ChildExit } | { kind: 'unready'; error: Error };

/**
 * `npm start`: a local Temporal dev server (unless TEMPORAL_ADDRESS names a cluster), the worker and the API, as
 * one foreground command that stops all of them on Ctrl-C.
 */
async function main(stop: StopRequest): Promise<number> {
  const config = loadConfig();
  await assertPortsFree(portsToCheck(config));
  const devServer = config.temporal.address ? undefined : await startLocalTemporal(config);
  let embeddedDatabase: EmbeddedPostgres | undefined;
  try {
    if (stop.received()) return 0;
    embeddedDatabase = config.database.url ? undefined : await startLocalDatabase(config);
    const databaseUrl = config.database.url ?? (embeddedDatabase as EmbeddedPostgres).url;
    await prepareDatabase(config, databaseUrl, Boolean(embeddedDatabase));
    if (stop.received()) return 0;
    return await runServices(config, devServer, databaseUrl, stop);
  } finally {
    if (embeddedDatabase) {
      console.error('[kai] stopping the embedded database…');
      await embeddedDatabase.stop();
    }
    if (devServer) {
      console.error('[kai] stopping the Temporal dev server…');
      await devServer.stop();
    }
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
    throw new StartupError(error instanceof Error ? error.message : String(error), { cause: error });
  }
}

/**
 * PGlite is one session, so it lives here in the supervisor (one owner of its data directory) and the API and
 * worker reach it over its loopback socket, each with a single connection.
 */
async function startLocalDatabase(config: Config): Promise<EmbeddedPostgres> {
  try {
    console.error('[kai] starting the embedded database (PGlite with pgvector)…');
    return await startEmbeddedPostgres({ dir: config.database.embeddedDir, port: config.database.embeddedPort });
  } catch (error) {
    throw new StartupError(`the embedded database did not start: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}

/** Migrations run once, here, before the API and worker start; the keys are created before two children race to. */
async function prepareDatabase(config: Config, url: string, embedded: boolean): Promise<void> {
  await loadSecretKeys(config);
  const orm = await openDatabase(url, { embedded });
  try {
    const applied = await migrateToLatest(orm);
    if (applied.length > 0) console.error(`[kai] applied migrations: ${applied.join(', ')}`);
  } finally {
    await orm.close();
  }
}

async function runServices(config: Config, devServer: DevServer | undefined, databaseUrl: string, stop: StopRequest): Promise<number> {
  const address = devServer?.address ?? (config.temporal.address as string);
  const env = {
    ...process.env,
    TEMPORAL_ADDRESS: address,
    KAI_DATA_DIR: config.dataDir,
    DATABASE_URL: databaseUrl,
    ...(devServer?.uiUrl && !config.temporal.uiUrl ? { TEMPORAL_UI_URL: devServer.uiUrl } : {}),
  };
  const children = [startTsChild('worker', 'worker/main.ts', env), startTsChild('api', 'api/main.ts', env)];
  const crashes = [...children.map((child) => child.exited), ...(devServer ? [exitOf(devServer)] : [])];

  const readiness = new AbortController();
  const apiNeverReady = waitForHttp(`http://127.0.0.1:${config.port}/health`, { timeoutMs: API_READY_TIMEOUT_MS, signal: readiness.signal }).then(
    () => {
      if (!readiness.signal.aborted) printBanner(config, address, devServer);
      return new Promise<never>(() => undefined);
    },
    (error: Error): Ending => ({ kind: 'unready', error }),
  );
  try {
    const ending = await Promise.race<Ending>([
      stop.signal.then((signal) => ({ kind: 'stop', signal })),
      Promise.race(crashes).then((exit) => ({ kind: 'crash', exit })),
      apiNeverReady,
    ]);
    if (ending.kind === 'stop') console.error(`[kai] ${ending.signal}: stopping the worker and the API…`);
    if (ending.kind === 'crash') console.error(`[kai] ${ending.exit.name} ${describeExit(ending.exit)} unexpectedly; stopping everything`);
    if (ending.kind === 'unready') console.error(`[kai] the API did not come up: ${ending.error.message}; stopping everything`);
    return ending.kind === 'stop' ? 0 : 1;
  } finally {
    readiness.abort();
    await Promise.all(children.map((child) => child.stop(CHILD_GRACE_MS)));
  }
}

/** `node --import tsx` rather than the tsx command, so the signals and the kill reach the process itself. */
function startTsChild(name: string, entry: string, env: NodeJS.ProcessEnv): SupervisedChild {
  return startChild({ name, command: process.execPath, args: ['--import', 'tsx', entry], cwd: REPO_ROOT, env });
}

function exitOf(devServer: DevServer): Promise<ChildExit> {
  return new Promise((resolve) => devServer.process.once('exit', (code, signal) => resolve({ name: 'the Temporal dev server', code, signal })));
}

function printBanner(config: Config, address: string, devServer: DevServer | undefined): void {
  const rows: [string, string][] = [
    ['Canvas', `http://localhost:${config.port}/`],
    ['API', `http://localhost:${config.port}/api/v1  (docs: /api/docs, readiness: /health/ready, metrics: /metrics)`],
    ...(devServer?.uiUrl ? [['Temporal Web UI', devServer.uiUrl] as [string, string]] : []),
    ['Temporal gRPC', `${address}  (namespace ${config.temporal.namespace}, task queue ${config.temporal.taskQueue})`],
    ['Database', config.database.url ? 'DATABASE_URL' : `embedded PGlite in ${config.database.embeddedDir}`],
    ['Data', config.dataDir],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  console.log(['', 'KAI-Fusion is running', ...rows.map(([label, value]) => `  ${label.padEnd(width)}  ${value}`), 'Press Ctrl-C to stop.', ''].join('\n'));
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
