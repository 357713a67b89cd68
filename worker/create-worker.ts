import { ApplicationFailure } from '@temporalio/activity';
import { Worker, type NativeConnection } from '@temporalio/worker';
import { createActivities, FileOutputStore, type OutputStore } from '../activities';
import type { CredentialResolver } from '../activities/credential-kinds';

export interface KaiWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  outputsDir: string;
  inlineOutputLimitBytes: number;
  /** Where large outputs go; by default files under `outputsDir`. */
  outputs?: OutputStore;
  /** Loads credentials at run time; without one, a node naming a credential fails with a clear message. */
  credentials?: CredentialResolver;
  /** Prebuilt bundle (see `bundleWorkflows`); without it the worker bundles workflows/ itself, which takes seconds. */
  workflowBundlePath?: string;
}

export function createWorker(options: KaiWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    // On SIGTERM, running node attempts get this long to finish before they are cancelled (and later retried).
    shutdownGraceTime: '10s',
    ...(options.workflowBundlePath ? { workflowBundle: { codePath: options.workflowBundlePath } } : { workflowsPath: WORKFLOWS_PATH }),
    activities: createActivities({
      outputs: options.outputs ?? new FileOutputStore(options.outputsDir),
      credentials: options.credentials ?? noCredentialStore,
      inlineOutputLimitBytes: options.inlineOutputLimitBytes,
    }),
  });
}

export const WORKFLOWS_PATH = require.resolve('../workflows');

const noCredentialStore: CredentialResolver = {
  resolve: async (_workspaceId, credentialId) => {
    throw ApplicationFailure.create({ message: `credential ${credentialId}: this worker has no credential store (run it with a database)`, type: 'InvalidCredential', nonRetryable: true });
  },
};
