import { DbCredentialResolver } from '../db/credential-resolver';
import { DbOutputStore } from '../db/node-output-store';
import { openConfiguredDatabase, type Database } from '../db/orm';
import { loadSecretKeys } from '../db/secret-box';
import { loadConfig } from '../platform/config';
import { connectWorkerConnection } from '../platform/temporal-connection';
import { createWorker } from './create-worker';

/** The worker process: polls the task queue until SIGINT/SIGTERM, then lets in-flight activities finish. */
async function main() {
  const config = loadConfig();
  const connection = await connectWorkerConnection(config.temporal);
  // Without a database (a bare worker against a dev server) large outputs go to files and credentials are refused.
  const database: Database | undefined = config.database.url ? await openConfiguredDatabase(config) : undefined;
  const stores = database && { outputs: new DbOutputStore(database.em), credentials: new DbCredentialResolver(database.em, (await loadSecretKeys(config)).encryption) };
  const worker = await createWorker({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    outputsDir: config.outputsDir,
    inlineOutputLimitBytes: config.inlineOutputLimitBytes,
    workflowBundlePath: config.workflowBundlePath,
    ...stores,
  });
  console.error(`worker polling task queue "${config.temporal.taskQueue}" on namespace "${config.temporal.namespace}"`);
  await worker.run();
  await connection.close();
  await database?.close();
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
