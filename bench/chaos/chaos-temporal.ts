import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { freePort, startDevServer, type DevServer } from '../../platform/dev-server';
import { startWorkerProcess, type WorkerProcess } from '../../test/worker-process';
import type { ChaosContext } from './scenario';

export interface ChaosTemporal {
  address: string;
  taskQueue: string;
  client: Client;
  /** Starts a worker process (worker/main.ts, as deployed) on the task queue. */
  startWorker(): Promise<WorkerProcess>;
  /** Stops the dev server and starts it again on the same port over the same database file; `whileDown` runs between. */
  restartServer(whileDown: () => void): Promise<void>;
}

/**
 * A private dev server keeping its state in a SQLite file (so it can be restarted without losing runs), a client,
 * and worker processes on demand; everything is registered for teardown.
 */
export async function startChaosTemporal(context: ChaosContext): Promise<ChaosTemporal> {
  const serverOptions = { cliPath: context.cliPath, port: await freePort(), dbFile: path.join(context.dir, 'temporal.db') };
  let server: DevServer = await startDevServer(serverOptions);
  context.teardown.add(() => server.stop());
  // Not closed in teardown: a scenario abandoned at its deadline may still have calls retrying on it, and a retry
  // on a closed connection throws from a timer, taking the whole chaos run down. The runner exits when done.
  const connection = await Connection.connect({ address: server.address });
  const taskQueue = `chaos-${randomUUID()}`;
  return {
    address: server.address,
    taskQueue,
    client: new Client({ connection }),
    async startWorker() {
      const worker = await startWorkerProcess({
        address: server.address,
        taskQueue,
        bundlePath: context.bundlePath,
        dataDir: path.join(context.dir, 'worker'),
        env: {
          // The counting server is on loopback, which HTTP Request nodes refuse unless allowed.
          KAI_OUTBOUND_ALLOW: '127.0.0.1',
          // No database: node outputs go to files under the data dir, whatever the shell's DATABASE_URL says.
          DATABASE_URL: '',
        },
      });
      context.teardown.add(() => worker.kill());
      return worker;
    },
    async restartServer(whileDown) {
      await server.stop();
      whileDown();
      server = await startDevServer(serverOptions);
    },
  };
}
