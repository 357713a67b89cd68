import { loadConfig } from '../platform/config';
import { connectWorkerConnection } from '../platform/temporal-connection';
import { createWorker } from './create-worker';

/** The worker process: polls the task queue until SIGINT/SIGTERM, then lets in-flight activities finish. */
async function main() {
  const config = loadConfig();
  const connection = await connectWorkerConnection(config.temporal);
  const worker = await createWorker({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    outputsDir: config.outputsDir,
    inlineOutputLimitBytes: config.inlineOutputLimitBytes,
    workflowBundlePath: config.workflowBundlePath,
  });
  console.error(`worker polling task queue "${config.temporal.taskQueue}" on namespace "${config.temporal.namespace}"`);
  await worker.run();
  await connection.close();
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
