import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { Database } from '../../db/orm';
import { secretKey, type SecretKey } from '../../db/secret-box';
import type { GraphInput } from '../../engine/graph';
import { freePort } from '../../platform/dev-server';
import { startApiProcess, type ApiProcess } from '../../test/api-process';
import { publishGraph, type WebhookOwner } from '../../test/webhook-fixture';
import { startWorkerProcess, type WorkerProcess } from '../../test/worker-process';
import type { Teardown } from './teardown';
import { signUp, type WebhookTarget } from './webhook-api';

export interface ClusterOptions {
  temporalAddress: string;
  /** The task queue every worker of this cluster polls and every API starts runs on. */
  taskQueue: string;
  /** The application's database, migrated, shared by every process as in a deployment. */
  databaseUrl: string;
  orm: Database;
  bundlePath: string;
  /** Scratch space: the processes' data directory and logs. */
  dir: string;
  teardown: Teardown;
}

/** A deployment's processes on one machine: API processes and worker processes on one Temporal server and database. */
export interface Cluster {
  apis: ApiProcess[];
  workers: WorkerProcess[];
  addApi(): Promise<ApiProcess>;
  addWorker(): Promise<WorkerProcess>;
  /** Publishes `graph` (its Webhook node must be `hook`): one endpoint per API process, the same hook behind each. */
  publish(graph: GraphInput): Promise<WebhookTarget[]>;
  /** Stops every process (SIGTERM, as a deploy does); the next topology starts afresh. */
  stop(): Promise<void>;
}

/**
 * Starts nothing yet: `addApi` and `addWorker` start the real entrypoints (api/main.ts, worker/main.ts) as child
 * processes with one shared set of keys, so any API serves any endpoint and any worker runs any run.
 */
export function createCluster(options: ClusterOptions): Cluster {
  const encryptionKey: SecretKey = secretKey(randomBytes(32));
  const jwtSecret = randomBytes(32).toString('hex');
  const apis: ApiProcess[] = [];
  const workers: WorkerProcess[] = [];
  let owner: WebhookOwner | undefined;
  const stop = async () => {
    await Promise.all([...apis.splice(0).map((api) => api.stop()), ...workers.splice(0).map((worker) => worker.stop())]);
  };
  options.teardown.add(stop);
  return {
    apis,
    workers,
    async addApi() {
      const api = await startApiProcess({
        databaseUrl: options.databaseUrl,
        temporalAddress: options.temporalAddress,
        taskQueue: options.taskQueue,
        port: await freePort(),
        encryptionKey: encryptionKey.bytes.toString('base64'),
        jwtSecret,
        dataDir: options.dir,
      });
      apis.push(api);
      return api;
    },
    async addWorker() {
      const worker = await startWorkerProcess({
        address: options.temporalAddress,
        taskQueue: options.taskQueue,
        bundlePath: options.bundlePath,
        dataDir: path.join(options.dir, 'worker'),
        env: { DATABASE_URL: options.databaseUrl, KAI_ENCRYPTION_KEY: encryptionKey.bytes.toString('base64') },
      });
      workers.push(worker);
      return worker;
    },
    async publish(graph) {
      if (apis.length === 0) throw new Error('start an API process before publishing');
      owner ??= (await signUp(apis[0].url)).owner;
      const { hooks } = await publishGraph({ orm: options.orm, encryptionKey }, owner, graph);
      return apis.map((api) => ({ hookId: hooks.hook.id, url: `${api.url}/api/webhooks/${hooks.hook.id}`, secret: hooks.hook.secret }));
    },
    stop,
  };
}
