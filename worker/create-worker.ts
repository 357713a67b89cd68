import { Worker, type NativeConnection } from '@temporalio/worker';
import { createActivities, FileOutputStore } from '../activities';

export interface KaiWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  outputsDir: string;
  inlineOutputLimitBytes: number;
  /** Prebuilt bundle (see `bundleWorkflows`); without it the worker bundles workflows/ itself, which takes seconds. */
  workflowBundlePath?: string;
}

export function createWorker(options: KaiWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    ...(options.workflowBundlePath ? { workflowBundle: { codePath: options.workflowBundlePath } } : { workflowsPath: WORKFLOWS_PATH }),
    activities: createActivities({ outputs: new FileOutputStore(options.outputsDir), inlineOutputLimitBytes: options.inlineOutputLimitBytes }),
  });
}

export const WORKFLOWS_PATH = require.resolve('../workflows');
