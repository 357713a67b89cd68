import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, openSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { withAdmin } from '../db/postgres-admin';
import { spawnDyingWithParent, waitUntilServing, type DevServer } from '../platform/dev-server';
import { SEARCH_ATTRIBUTES } from '../platform/search-attributes';
import type { TemporalServerTools } from '../platform/temporal-server';

const REPO_ROOT = path.resolve(__dirname, '..');
const DEPLOY_DIR = path.join(REPO_ROOT, 'deploy', 'temporal');
const run = promisify(execFile);

export interface PostgresTemporalOptions {
  tools: TemporalServerTools;
  /** The Temporal CLI, for the namespace script. */
  cliPath: string;
  /** A PostgreSQL server's URL whose user may create databases; the path (a database to connect to) is kept. */
  postgresUrl: string;
  /** The server's log file. */
  logFile: string;
  numHistoryShards?: number;
  /** Pool sizes per service and store (deploy/temporal/config/production.yaml); small, as PostgreSQL here is shared. */
  maxConns?: number;
  visibilityMaxConns?: number;
}

export interface PostgresTemporalServer extends DevServer {
  /** The two databases this server created, dropped by stop(). */
  databases: string[];
}

/** The ports production.yaml reads: each service's gRPC and membership port, and the frontend's HTTP port. */
const PORT_VARIABLES = [
  'FRONTEND_GRPC_PORT',
  'FRONTEND_MEMBERSHIP_PORT',
  'FRONTEND_HTTP_PORT',
  'HISTORY_GRPC_PORT',
  'HISTORY_MEMBERSHIP_PORT',
  'MATCHING_GRPC_PORT',
  'MATCHING_MEMBERSHIP_PORT',
  'WORKER_GRPC_PORT',
  'WORKER_MEMBERSHIP_PORT',
];

/**
 * The production Temporal server (docker-compose.yml's version, built by platform/temporal-server.ts) as one
 * process on PostgreSQL, set up the way docs/deploy.md sets up bare VMs: two fresh, uniquely named databases, the
 * compose file's schema and namespace scripts, deploy/temporal/config/production.yaml on free ports, and the
 * compose file's dynamic config. stop() stops the server and drops both databases.
 */
export async function startPostgresTemporalServer(options: PostgresTemporalOptions): Promise<PostgresTemporalServer> {
  const url = new URL(options.postgresUrl);
  const suffix = randomBytes(5).toString('hex');
  const databases = [`kai_temporal_${suffix}`, `kai_temporal_visibility_${suffix}`];
  const dropDatabases = () => withAdmin(options.postgresUrl, async (admin) => {
    for (const name of databases) await admin.raw(`drop database if exists "${name}" with (force)`);
  });
  await withAdmin(options.postgresUrl, async (admin) => {
    for (const name of databases) await admin.raw(`create database "${name}"`);
  });

  const ports: [string, string][] = [];
  for (const name of PORT_VARIABLES) ports.push([name, String(await freeMembershipPort(ports.map(([, port]) => Number(port))))]);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...Object.fromEntries(ports),
    POSTGRES_SEEDS: url.hostname,
    DB_PORT: url.port || '5432',
    POSTGRES_USER: decodeURIComponent(url.username),
    POSTGRES_PWD: decodeURIComponent(url.password),
    SQL_PASSWORD: decodeURIComponent(url.password),
    DBNAME: databases[0],
    VISIBILITY_DBNAME: databases[1],
    NUM_HISTORY_SHARDS: String(options.numHistoryShards ?? 16),
    SQL_MAX_CONNS: String(options.maxConns ?? 4),
    SQL_MAX_IDLE_CONNS: String(options.maxConns ?? 4),
    SQL_VIS_MAX_CONNS: String(options.visibilityMaxConns ?? 2),
    SQL_VIS_MAX_IDLE_CONNS: String(options.visibilityMaxConns ?? 2),
    DYNAMIC_CONFIG_FILE_PATH: path.join(DEPLOY_DIR, 'dynamicconfig.yaml'),
    TEMPORAL_SQL_TOOL: options.tools.sqlToolPath,
    TEMPORAL_SCHEMA_DIR: options.tools.postgresSchemaDir,
  };
  const address = `127.0.0.1:${env.FRONTEND_GRPC_PORT}`;

  try {
    await runScript('setup-schema.sh', env);
    const server = startServer(options, env, address);
    try {
      await waitUntilServing({ name: 'temporal-server', address, namespace: 'temporal-system', exited: server.exited, output: server.output });
      await runScript('setup-namespace.sh', {
        ...env,
        TEMPORAL_CLI: options.cliPath,
        TEMPORAL_ADDRESS: address,
        NAMESPACE: 'default',
        RETENTION: '24h',
        SEARCH_ATTRIBUTES: Object.keys(SEARCH_ATTRIBUTES).join(' '),
      });
      await waitUntilServing({ name: 'temporal-server', address, namespace: 'default', exited: server.exited, output: server.output });
    } catch (error) {
      await server.stop();
      throw error;
    }
    return {
      address,
      process: server.child,
      databases,
      async stop() {
        await server.stop();
        await dropDatabases();
      },
    };
  } catch (error) {
    await dropDatabases();
    throw error;
  }
}

function startServer(options: PostgresTemporalOptions, env: NodeJS.ProcessEnv, address: string) {
  const log = openSync(options.logFile, 'a');
  // --config is relative to --root.
  const args = ['--root', REPO_ROOT, '--config', path.join('deploy', 'temporal', 'config'), '--env', 'production', '--allow-no-auth', 'start'];
  const child = spawnDyingWithParent(options.tools.serverPath, args, { env, stdoutFd: log });
  closeSync(log);
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => void (stderr = (stderr + chunk.toString()).slice(-4000)));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    exited,
    output: () => `${stderr}\n(log: ${options.logFile}; server at ${address})`,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

async function runScript(script: string, env: NodeJS.ProcessEnv): Promise<void> {
  try {
    await run('sh', [path.join(DEPLOY_DIR, script)], { env, timeout: 180_000 });
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    throw new Error(`deploy/temporal/${script} failed:\n${stdout}${stderr}`, { cause: error });
  }
}

/**
 * A free port below 32768: the server records its services' ports in a smallint column (cluster_membership), so the
 * kernel's ephemeral ports, which freePort() gets, make it exit at start.
 */
async function freeMembershipPort(taken: number[]): Promise<number> {
  for (;;) {
    const port = 10_000 + Math.floor(Math.random() * 22_000);
    if (!taken.includes(port) && (await canListen(port))) return port;
  }
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}
