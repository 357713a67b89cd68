import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { inspect } from 'node:util';
import { Client, Connection, type ClientInterceptors } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import { DefaultLogger, NativeConnection, Runtime, type LogEntry, type Worker, type WorkerPlugin } from '@temporalio/worker';
import type { OutputStore } from '../activities';
import type { CredentialResolver } from '../activities/credential-kinds';
import type { NodeServices } from '../activities/node-services';
import type { GraphInput } from '../engine/graph';
import type { RunResult } from '../engine/run-state';
import { startRun, type RunHandle } from '../platform/start-run';
import { createWorker } from '../worker/create-worker';
import { startWorkerProcess, type WorkerProcess, type WorkerProcessOptions } from './worker-process';

export interface TemporalHarness {
  client: Client;
  taskQueue: string;
  address: string;
  bundlePath: string;
  outputsDir: string;
  /** Starts a run of `graph` on this harness's task queue. */
  start(graph: GraphInput, inputs?: Record<string, unknown>): Promise<RunHandle>;
  /** Starts a run and waits for its result. */
  run(graph: GraphInput, inputs?: Record<string, unknown>): Promise<RunResult>;
  /**
   * Runs worker/main.ts as a child process on this task queue, for tests that kill or stop a worker; every process
   * shares one data directory, as workers of one deployment do. `close()` stops those still running.
   */
  startWorkerProcess(options?: Pick<WorkerProcessOptions, 'httpPort'>): Promise<WorkerProcess>;
  /** Stops the worker processes, then the in-process worker, then closes the client. */
  close(): Promise<void>;
}

let runtimeInstalled = false;

/**
 * The SDK logs every worker state change at INFO; tests want warnings only, or errors only where they provoke
 * failures the SDK warns about (its core logs those to the console, hence the core filter).
 */
export function quietRuntime(level: 'WARN' | 'ERROR' = 'WARN'): void {
  if (runtimeInstalled) return;
  Runtime.install({ logger: new DefaultLogger(level), telemetryOptions: { logging: { filter: { core: level } } } });
  runtimeInstalled = true;
}

/**
 * Installs the runtime with a logger that keeps every line the worker would print (core's forwarded too), with
 * errors inspected in full, for tests that check what reaches a worker's log. Call it before the file's first harness.
 */
export function captureRuntimeLogs(): string[] {
  const lines: string[] = [];
  const keep = ({ level, message, meta }: LogEntry) => void lines.push(`[${level}] ${message} ${inspect(meta, { depth: 20 })}`);
  Runtime.install({ logger: new DefaultLogger('DEBUG', keep), telemetryOptions: { logging: { filter: { core: 'INFO' }, forward: {} } } });
  runtimeInstalled = true;
  return lines;
}

export function testEnv(): { address: string; bundlePath: string; dir: string } {
  const address = process.env.KAI_TEST_TEMPORAL_ADDRESS;
  const bundlePath = process.env.KAI_TEST_WORKFLOW_BUNDLE;
  const dir = process.env.KAI_TEST_DIR;
  if (!address || !bundlePath || !dir) throw new Error('test/global-setup.ts did not run (start tests with npm test)');
  return { address, bundlePath, dir };
}

/**
 * A client and (unless `worker: false`) an in-process worker on a task queue of its own, against the run's
 * shared dev server unless `address` names another.
 */
export interface TemporalHarnessOptions {
  worker?: boolean;
  /** A dev server of the test's own (one it stops and restarts) instead of the run's shared one. */
  address?: string;
  /** A task queue name the test checks for; by default a fresh one. */
  taskQueue?: string;
  /** A workflow bundle of the test's own (one built with the tracing modules) instead of the run's shared one. */
  workflowBundlePath?: string;
  /** The worker's plugins and the client's interceptors, for tests that trace runs. */
  workerPlugins?: WorkerPlugin[];
  clientInterceptors?: ClientInterceptors;
  inlineOutputLimitBytes?: number;
  /** Stores the worker uses instead of the file output store and no credential store. */
  outputs?: OutputStore;
  credentials?: CredentialResolver;
  /** Database-backed node services (vectors, memory…) for the worker. */
  services?: NodeServices;
  /** The client's and worker's data converter (payload encryption). */
  dataConverter?: DataConverter;
  /** What the worker's outbound policy lets nodes reach; by default 127.0.0.1, where tests' local servers listen. */
  outboundAllow?: string[];
}

/**
 * A worker's shutdown now and then waits on a long poll the server never answers (sdk-core's poll-shutdown race,
 * temporalio/sdk-rust#1197) and would hold a suite's teardown past its timeout, although every test passed.
 */
const WORKER_SHUTDOWN_WAIT_MS = 20_000;

async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([promise.then(() => true), expired]);
  } finally {
    clearTimeout(timer);
  }
}

export async function createTemporalHarness(options: TemporalHarnessOptions = {}): Promise<TemporalHarness> {
  const shared = testEnv();
  const { address = shared.address, workflowBundlePath: bundlePath = shared.bundlePath, taskQueue = `test-${randomUUID()}` } = options;
  quietRuntime();
  const outputsDir = path.join(shared.dir, 'outputs');
  const connection = await Connection.connect({ address });
  const client = new Client({ connection, dataConverter: options.dataConverter, interceptors: options.clientInterceptors });
  let worker: Worker | undefined;
  let workerRun: Promise<void> | undefined;
  let workerConnection: NativeConnection | undefined;
  if (options.worker !== false) {
    workerConnection = await NativeConnection.connect({ address });
    worker = await createWorker({
      connection: workerConnection,
      namespace: 'default',
      taskQueue,
      outputsDir,
      inlineOutputLimitBytes: options.inlineOutputLimitBytes ?? 256 * 1024,
      outputs: options.outputs,
      credentials: options.credentials,
      services: options.services,
      workflowBundlePath: bundlePath,
      dataConverter: options.dataConverter,
      outboundAllow: options.outboundAllow ?? ['127.0.0.1'],
      plugins: options.workerPlugins,
    });
    workerRun = worker.run();
  }
  const workerProcesses: WorkerProcess[] = [];
  const workerProcessDataDir = path.join(shared.dir, `worker-processes-${taskQueue}`);
  const start = (graph: GraphInput, inputs: Record<string, unknown> = {}) => startRun(client, { graph, inputs, taskQueue, meta: { trigger: 'test' } });
  return {
    client,
    taskQueue,
    address,
    bundlePath,
    outputsDir,
    start,
    run: async (graph, inputs) => (await start(graph, inputs)).result(),
    async startWorkerProcess(processOptions = {}) {
      const started = await startWorkerProcess({ address, taskQueue, bundlePath, dataDir: workerProcessDataDir, ...processOptions });
      workerProcesses.push(started);
      return started;
    },
    async close() {
      await Promise.all(workerProcesses.map((workerProcess) => workerProcess.stop()));
      worker?.shutdown();
      if (workerRun && !(await settlesWithin(workerRun, WORKER_SHUTDOWN_WAIT_MS))) {
        console.warn(`the test worker on ${taskQueue} did not finish shutting down within ${WORKER_SHUTDOWN_WAIT_MS / 1000} s; it is left to the test process's exit`);
      } else {
        await workerConnection?.close();
      }
      await connection.close();
    },
  };
}
