import type { Server } from 'node:http';
import type { NativeConnection, Worker } from '@temporalio/worker';
import { DbConversationMemory } from '../db/conversation-memory';
import { DbCredentialResolver } from '../db/credential-resolver';
import { DbNodeEventSink } from '../db/node-event-sink';
import { DbOutputStore } from '../db/node-output-store';
import { openConfiguredDatabase, type Database } from '../db/orm';
import { loadSecretKeys } from '../db/secret-box';
import { DbVectorStore } from '../db/vector-store';
import { DbWorkflowPlanSource } from '../db/workflow-plan-source';
import { protectedEndpoints, type Config } from '../platform/config';
import { kaiDataConverter } from '../platform/payload-codec/data-converter';
import { workerTracingPlugin } from '../platform/tracing/temporal-tracing';
import type { Tracing } from '../platform/tracing/tracing';
import { createWorker } from './create-worker';
import { startWorkerHttpServer } from './worker-http-server';

export interface KaiWorker {
  worker: Worker;
  /** Closes what the worker used (its HTTP server, its database); call it once `worker.run()` has settled. */
  close(): Promise<void>;
}

/**
 * The configured worker on `connection`, with its database-backed stores and its HTTP server (health, metrics):
 * what worker/main.ts runs alone and `npm start` runs beside the API. It polls once `worker.run()` is called.
 */
export async function openKaiWorker(config: Config, connection: NativeConnection, tracing?: Tracing): Promise<KaiWorker> {
  // Without a database (a bare worker against a dev server) large outputs go to files and credentials are refused.
  const database: Database | undefined = config.database.url ? await openConfiguredDatabase(config) : undefined;
  try {
    const stores = database && { outputs: new DbOutputStore(database.em), credentials: new DbCredentialResolver(database.em, (await loadSecretKeys(config)).encryption) };
    const services = database && {
      vectors: new DbVectorStore(database.em.getKnex()),
      workflows: new DbWorkflowPlanSource(database.em, config.temporal.activityRoutes),
      memory: new DbConversationMemory(database.em),
      events: new DbNodeEventSink(database.em),
    };
    const worker = await createWorker({
      connection,
      namespace: config.temporal.namespace,
      taskQueue: config.temporal.taskQueue,
      outputsDir: config.outputsDir,
      inlineOutputLimitBytes: config.inlineOutputLimitBytes,
      // A prebuilt bundle has no workflow tracing interceptors; with tracing on, the worker bundles with them at boot.
      workflowBundlePath: tracing ? undefined : config.workflowBundlePath,
      outboundAllow: config.outboundAllow,
      outboundProtect: protectedEndpoints(config),
      tuning: config.workerTuning,
      dataConverter: kaiDataConverter(config.temporal),
      plugins: tracing ? [workerTracingPlugin(tracing)] : [],
      ...stores,
      services,
    });
    if (tracing && config.workflowBundlePath) console.error('tracing is on: KAI_WORKFLOW_BUNDLE is ignored and workflows were bundled at boot with the tracing interceptors');
    const httpServer: Server | undefined = config.workerHttpPort ? await startWorkerHttpServer(worker, config.workerHttpPort, config.workerHttpHost) : undefined;
    return {
      worker,
      async close() {
        httpServer?.close();
        await database?.close();
      },
    };
  } catch (error) {
    await database?.close();
    throw error;
  }
}
