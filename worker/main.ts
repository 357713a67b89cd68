import { DbConversationMemory } from '../db/conversation-memory';
import { DbCredentialResolver } from '../db/credential-resolver';
import { DbNodeEventSink } from '../db/node-event-sink';
import { DbOutputStore } from '../db/node-output-store';
import { openConfiguredDatabase, type Database } from '../db/orm';
import { DbVectorStore } from '../db/vector-store';
import { DbWorkflowPlanSource } from '../db/workflow-plan-source';
import { loadSecretKeys } from '../db/secret-box';
import { loadConfig, protectedEndpoints } from '../platform/config';
import { kaiDataConverter } from '../platform/payload-codec/data-converter';
import { workerTracingPlugin } from '../platform/tracing/temporal-tracing';
import { startTracing } from '../platform/tracing/tracing';
import { connectWorkerConnection } from '../platform/temporal-connection';
import { createWorker } from './create-worker';
import { installWorkerRuntime } from './install-runtime';
import { startWorkerHttpServer } from './worker-http-server';

/** The worker process: polls the task queue until SIGINT/SIGTERM, then lets in-flight activities finish. */
async function main() {
  const config = loadConfig();
  installWorkerRuntime(config);
  const tracing = config.otlpEndpoint ? startTracing({ serviceName: 'kai-worker', endpoint: config.otlpEndpoint }) : undefined;
  const connection = await connectWorkerConnection(config.temporal);
  // Without a database (a bare worker against a dev server) large outputs go to files and credentials are refused.
  const database: Database | undefined = config.database.url ? await openConfiguredDatabase(config) : undefined;
  const stores = database && { outputs: new DbOutputStore(database.em), credentials: new DbCredentialResolver(database.em, (await loadSecretKeys(config)).encryption) };
  const services = database && { vectors: new DbVectorStore(database.em.getKnex()), workflows: new DbWorkflowPlanSource(database.em, config.temporal.activityRoutes), memory: new DbConversationMemory(database.em), events: new DbNodeEventSink(database.em) };
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
  const httpServer = config.workerHttpPort ? await startWorkerHttpServer(worker, config.workerHttpPort, config.workerHttpHost) : undefined;
  console.error(`worker polling task queue "${config.temporal.taskQueue}" on namespace "${config.temporal.namespace}"`);
  // The SDK handles SIGINT/SIGTERM itself: polling stops, in-flight activities get shutdownGraceTime, run() resolves.
  await worker.run();
  httpServer?.close();
  await connection.close();
  await database?.close();
  await tracing?.shutdown();
}

main().then(() => process.exit(0), (error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
