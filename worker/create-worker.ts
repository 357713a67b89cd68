import path from 'node:path';
import { ApplicationFailure } from '@temporalio/activity';
import type { DataConverter } from '@temporalio/common';
import { Worker, type NativeConnection, type WorkerPlugin } from '@temporalio/worker';
import { createActivities, FileOutputStore, type OutputStore } from '../activities';
import type { CredentialResolver } from '../activities/credential-kinds';
import { guardedFetchOf } from '../activities/net/guarded-fetch';
import { createOutboundGuard, type ProtectedEndpoint } from '../activities/net/outbound-guard';
import type { NodeServices } from '../activities/node-services';
import { recordNodeAttempt } from '../platform/metrics/worker-metrics';

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
  /** Database-backed services for AI and data nodes; a worker without them fails those nodes with a clear message. */
  services?: NodeServices;
  /** CIDR ranges, addresses and hostnames nodes may reach although the outbound policy refuses them (KAI_OUTBOUND_ALLOW). */
  outboundAllow?: string[];
  /** The installation's own services (see `protectedEndpoints`): refused even where `outboundAllow` covers them. */
  outboundProtect?: ProtectedEndpoint[];
  /** Concurrency and the task-queue-wide activity rate (KAI_WORKER_MAX_CONCURRENT_ACTIVITIES, …_WORKFLOW_TASKS, …_ACTIVITIES_PER_SECOND). */
  tuning?: { maxConcurrentActivities?: number; maxConcurrentWorkflowTasks?: number; activitiesPerSecond?: number };
  /** Prebuilt bundle (see `bundleWorkflows`); without it the worker bundles workflows/ itself, which takes seconds. */
  workflowBundlePath?: string;
  /** The installation's data converter (payload encryption); it must match the clients' (see `kaiDataConverter`). */
  dataConverter?: DataConverter;
  /** Tracing (see `workerTracingPlugin`); a prebuilt bundle must then include the workflow tracing modules. */
  plugins?: WorkerPlugin[];
}

export function createWorker(options: KaiWorkerOptions): Promise<Worker> {
  const outbound = createOutboundGuard({ allow: options.outboundAllow, protect: options.outboundProtect });
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    // On SIGTERM, running node attempts get this long to finish before they are cancelled (and later retried).
    shutdownGraceTime: '10s',
    maxConcurrentActivityTaskExecutions: options.tuning?.maxConcurrentActivities,
    maxConcurrentWorkflowTaskExecutions: options.tuning?.maxConcurrentWorkflowTasks,
    maxTaskQueueActivitiesPerSecond: options.tuning?.activitiesPerSecond,
    dataConverter: options.dataConverter,
    plugins: options.plugins,
    ...(options.workflowBundlePath ? { workflowBundle: { codePath: options.workflowBundlePath } } : { workflowsPath: WORKFLOWS_PATH }),
    activities: createActivities({
      outputs: options.outputs ?? new FileOutputStore(options.outputsDir),
      credentials: options.credentials ?? noCredentialStore,
      inlineOutputLimitBytes: options.inlineOutputLimitBytes,
      fetch: guardedFetchOf(outbound),
      socket: outbound.socket,
      services: options.services ?? {},
      observe: recordNodeAttempt,
    }),
  });
}

/** A path rather than `require.resolve`, which compiled `npm start` (no TypeScript resolution) could not run. */
export const WORKFLOWS_PATH = path.join(__dirname, '..', 'workflows', 'index.ts');

const noCredentialStore: CredentialResolver = {
  resolve: async (_workspaceId, credentialId) => {
    throw ApplicationFailure.create({ message: `credential ${credentialId}: this worker has no credential store (run it with a database)`, type: 'InvalidCredential', nonRetryable: true });
  },
};
