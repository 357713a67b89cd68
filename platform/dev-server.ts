import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { makeSqlitePrivate } from './private-files';
import { SEARCH_ATTRIBUTES } from './search-attributes';

export interface DevServerOptions {
  cliPath: string;
  /** gRPC port; 0 picks a free one. */
  port: number;
  /** Web UI port; omit for a headless server. */
  uiPort?: number;
  /** SQLite file that keeps runs across restarts; omit for an in-memory server (tests). */
  dbFile?: string;
  namespace?: string;
  /** Where the server's own log goes; by default it is discarded. */
  logFile?: string;
  /** Serves the server's Prometheus metrics on this port; omit for none. */
  metricsPort?: number;
}

/**
 * The dev server runs one history shard, whose transfer-queue reader loads tasks at most 20 times a second: every
 * regular activity of a run needs two loads (the activity task, then the next workflow task), so back-to-back steps
 * waited ~100 ms each. Eager activity dispatch hands an activity on the workflow's own task queue to the worker in
 * the answer to the workflow task that scheduled it, without a load at all. The visibility reader loads a few times a
 * second: a run that has closed by the time its start record is due gets only its close record, and the visibility
 * writes were ~40 % of the server's CPU on short runs. docs/deploy.md gives the production equivalent
 * (deploy/temporal/dynamicconfig.yaml).
 */
export const DEV_SERVER_DYNAMIC_CONFIG: Record<string, unknown> = {
  'history.transferProcessorMaxPollRPS': 1000,
  'system.enableActivityEagerExecution': true,
  'history.visibilityProcessorMaxPollRPS': 4,
};

/**
 * The SQLite file in write-ahead-log mode, synced at checkpoints. The default rollback journal with full sync writes
 * and syncs a journal for every transaction, several per run. With WAL and synchronous=NORMAL a committed run
 * survives the death of any process; only a crash of the whole machine may roll back the last commits before a
 * checkpoint (the production stack keeps Temporal on PostgreSQL, docs/deploy.md).
 */
export const DEV_SERVER_SQLITE_PRAGMAS: Record<string, string> = { journal_mode: 'wal', synchronous: 'normal' };

export interface DevServer {
  address: string;
  uiUrl?: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/** Starts `temporal server start-dev` and resolves once its frontend answers for the namespace. */
export async function startDevServer(options: DevServerOptions): Promise<DevServer> {
  const port = options.port || (await freePort());
  const namespace = options.namespace ?? 'default';
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(port), '--log-level', 'error'];
  args.push(...(options.uiPort ? ['--ui-port', String(options.uiPort)] : ['--headless']));
  if (options.dbFile) {
    mkdirSync(path.dirname(options.dbFile), { recursive: true, mode: 0o700 });
    await makeSqlitePrivate(options.dbFile);
    args.push('--db-filename', options.dbFile);
    for (const [pragma, value] of Object.entries(DEV_SERVER_SQLITE_PRAGMAS)) args.push('--sqlite-pragma', `${pragma}=${value}`);
  }
  if (namespace !== 'default') args.push('--namespace', namespace);
  if (options.metricsPort) args.push('--metrics-port', String(options.metricsPort));
  for (const [name, type] of Object.entries(SEARCH_ATTRIBUTES)) args.push('--search-attribute', `${name}=${type}`);
  for (const [key, value] of Object.entries(DEV_SERVER_DYNAMIC_CONFIG)) args.push('--dynamic-config-value', `${key}=${JSON.stringify(value)}`);

  const child = spawnDyingWithParent(options.cliPath, args);
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => void (stderr = (stderr + chunk.toString()).slice(-4000)));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const address = `127.0.0.1:${port}`;

  try {
    await waitUntilServing({ name: 'temporal server start-dev', address, namespace, exited, output: () => stderr });
    // The server creates its database world-readable; once private, the files SQLite adds later copy its mode.
    if (options.dbFile) await makeSqlitePrivate(options.dbFile);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return {
    address,
    uiUrl: options.uiPort ? `http://localhost:${options.uiPort}` : undefined,
    process: child,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/**
 * Where the kernel can tie the server's life to ours (Linux, util-linux's `setpriv`), it is killed when this process
 * dies, even by SIGKILL, and it gets a process group of its own, so a Ctrl-C in the terminal reaches only this
 * process, which stops the server last, after the worker that uses it. Elsewhere it stays in our process group, so
 * at least a kill of the whole group takes it along.
 */
export function spawnDyingWithParent(command: string, args: string[], options: { env?: NodeJS.ProcessEnv; stdoutFd?: number } = {}): ChildProcess {
  const stdio: ['ignore', 'ignore' | number, 'pipe'] = ['ignore', options.stdoutFd ?? 'ignore', 'pipe'];
  if (!canSetParentDeathSignal()) return spawn(command, args, { stdio, env: options.env });
  return spawn('setpriv', ['--pdeathsig', 'SIGKILL', '--', command, ...args], { stdio, env: options.env, detached: true });
}

let parentDeathSignal: boolean | undefined;
function canSetParentDeathSignal(): boolean {
  parentDeathSignal ??= process.platform === 'linux' && spawnSync('setpriv', ['--help'], { encoding: 'utf8' }).stdout?.includes('--pdeathsig') === true;
  return parentDeathSignal;
}

export interface ServingWait {
  /** The server's name in errors. */
  name: string;
  address: string;
  /** Serving means this namespace is described: `temporal-system` exists on every server from its first start. */
  namespace: string;
  exited: Promise<number | null>;
  /** The end of the server's output, for errors. */
  output: () => string;
}

/** Resolves once the frontend at `address` describes the namespace; fails if the server exits first or after 60 s. */
export async function waitUntilServing({ name, address, namespace, exited, output }: ServingWait): Promise<void> {
  const deadline = Date.now() + 60_000;
  let done = false;
  void exited.then(() => (done = true));
  while (Date.now() < deadline) {
    if (done) throw new Error(`${name} exited early:\n${output()}`);
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1000 });
      try {
        await connection.workflowService.describeNamespace({ namespace });
        return;
      } finally {
        await connection.close();
      }
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  throw new Error(`${name} did not answer on ${address} within 60 s:\n${output()}`);
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
