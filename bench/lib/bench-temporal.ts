import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import type { NodeServices } from '../../activities/node-services';
import { loadConfig } from '../../platform/config';
import { startDevServer } from '../../platform/dev-server';
import { ensureTemporalCli } from '../../platform/temporal-cli';
import { bundleWorkflows } from '../../worker/bundle-workflows';
import { createWorker } from '../../worker/create-worker';
import { Teardown } from './teardown';

export interface BenchTemporal {
  client: Client;
  taskQueue: string;
  /** host:port of the dev server, for processes the benchmark starts (an API process, say). */
  address: string;
  /** The CLI that runs the dev server, so reports can name its version. */
  cliPath: string;
}

/**
 * Runs `body` against a private Temporal: a headless in-memory dev server on a free port and one in-process worker
 * (real activities, prebuilt workflow bundle), then stops everything, also when `body` or the worker fails.
 * Once per process: it installs the SDK runtime. `services` are the worker's database-backed services, for
 * benchmarks of nodes that need them (For Each plans the workflow it calls).
 */
export async function withBenchTemporal<T>(body: (temporal: BenchTemporal) => Promise<T>, services?: NodeServices): Promise<T> {
  const teardown = new Teardown();
  let outcome: { ok: true; value: T } | { ok: false; error: unknown };
  try {
    outcome = { ok: true, value: await setUpAndRun(teardown, body, services) };
  } catch (error) {
    outcome = { ok: false, error };
  }
  const cleanupErrors = await teardown.run();
  if (!outcome.ok) {
    // A crashed worker's error comes back from its teardown step too; report it once.
    const failed = outcome.error;
    const otherErrors = cleanupErrors.filter((error) => error !== failed);
    if (otherErrors.length > 0) throw new AggregateError([failed, ...otherErrors], 'the benchmark failed, and so did its cleanup');
    throw failed;
  }
  if (cleanupErrors.length > 0) throw new AggregateError(cleanupErrors, 'cleanup after the benchmark failed');
  return outcome.value;
}

async function setUpAndRun<T>(teardown: Teardown, body: (temporal: BenchTemporal) => Promise<T>, services: NodeServices | undefined): Promise<T> {
  // The SDK logs every worker state change at INFO, which would bury the results.
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const dir = await mkdtemp(path.join(tmpdir(), 'kai-bench-'));
  teardown.add(() => rm(dir, { recursive: true, force: true }));

  const cliPath = await ensureTemporalCli();
  const server = await startDevServer({ cliPath, port: 0 });
  teardown.add(() => server.stop());
  const bundlePath = await bundleWorkflows(path.join(dir, 'workflow-bundle.js'));

  const workerConnection = await NativeConnection.connect({ address: server.address });
  teardown.add(() => workerConnection.close());
  const taskQueue = `bench-${randomUUID()}`;
  const worker = await createWorker({
    connection: workerConnection,
    namespace: 'default',
    taskQueue,
    outputsDir: path.join(dir, 'outputs'),
    // The production default, not whatever KAI_OUTPUT_INLINE_LIMIT the shell happens to hold.
    inlineOutputLimitBytes: loadConfig({}).inlineOutputLimitBytes,
    workflowBundlePath: bundlePath,
    services,
  });
  const workerRun = worker.run();
  teardown.add(async () => {
    if (worker.getState() === 'RUNNING') worker.shutdown();
    await workerRun;
  });
  const workerStopped = workerRun.then(() => {
    throw new Error('the worker stopped before the benchmark finished');
  });

  const connection = await Connection.connect({ address: server.address });
  teardown.add(() => connection.close());
  const client = new Client({ connection });

  // A worker that dies mid-run would otherwise leave `body` waiting on results forever.
  return Promise.race([body({ client, taskQueue, address: server.address, cliPath }), workerStopped]);
}
