import { loadConfig } from '../platform/config';
import { startTracing } from '../platform/tracing/tracing';
import { connectWorkerConnection } from '../platform/temporal-connection';
import { installWorkerRuntime } from './install-runtime';
import { openKaiWorker } from './kai-worker';

/** The worker process: polls the task queue until SIGINT/SIGTERM, then lets in-flight activities finish. */
async function main() {
  const config = loadConfig();
  installWorkerRuntime(config);
  const tracing = config.otlpEndpoint ? startTracing({ serviceName: 'kai-worker', endpoint: config.otlpEndpoint }) : undefined;
  const connection = await connectWorkerConnection(config.temporal);
  const { worker, close } = await openKaiWorker(config, connection, tracing);
  console.error(`worker polling task queue "${config.temporal.taskQueue}" on namespace "${config.temporal.namespace}"`);
  // The SDK handles SIGINT/SIGTERM itself: polling stops, in-flight activities get shutdownGraceTime, run() resolves.
  await worker.run();
  await close();
  await connection.close();
  await tracing?.shutdown();
}

main().then(() => process.exit(0), (error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
