import { randomUUID } from 'node:crypto';
import { InternalConnectionLikeSymbol, type Client, type InternalConnectionLike, type WorkflowHandle, type WorkflowHandleWithFirstExecutionRunId, type WorkflowIdReusePolicy } from '@temporalio/client';
import type { ExecutionPlan, RunMetadata } from '../engine/plan';
import { planRun } from '../activities/plan-run';
import type { ActivityRoutes } from '../engine/route-activities';
import type { ReusedOutcome } from '../engine/run-state';
import type { interpretGraph } from '../workflows';
import { runsStarted } from './metrics/api-metrics';
import { KAI_TRIGGER, KAI_WORKFLOW_ID } from './search-attributes';

export interface StartRunOptions {
  graph: unknown;
  /** `graph` already planned with `activityRoutes` (a webhook's published version, planned once); planned here otherwise. */
  plan?: ExecutionPlan;
  inputs?: Record<string, unknown>;
  meta: RunMetadata;
  taskQueue: string;
  /** Node types whose activities go to task queues of their own (KAI_ACTIVITY_ROUTES). */
  activityRoutes?: ActivityRoutes;
  /** Temporal workflow id; a retried request with the same id finds the same run instead of starting another. */
  runId?: string;
  /** A re-run's recorded outcomes of the nodes it does not run again. */
  reuse?: Record<string, ReusedOutcome>;
  /** REJECT_DUPLICATE keeps a `runId` bound to its one run even after that run has closed (webhook deduplication). */
  idReusePolicy?: WorkflowIdReusePolicy;
}

export type RunHandle = WorkflowHandle<typeof interpretGraph>;
/** A handle that knows the Temporal run id of the execution it started. */
export type StartedRunHandle = WorkflowHandleWithFirstExecutionRunId<typeof interpretGraph>;

/** Plans the graph (refusing an invalid one before anything reaches Temporal) and starts its run. */
export async function startRun(client: Client, options: StartRunOptions): Promise<StartedRunHandle> {
  const plan = options.plan ?? planRun(options.graph, options.activityRoutes);
  const handle = await client.workflow.start<typeof interpretGraph>('interpretGraph', {
    taskQueue: options.taskQueue,
    workflowId: options.runId ?? `run-${randomUUID()}`,
    workflowIdReusePolicy: options.idReusePolicy,
    requestEagerStart: sharesWorkerConnection(client),
    args: [{ plan, inputs: options.inputs ?? {}, meta: options.meta, reuse: options.reuse }],
    typedSearchAttributes: [
      { key: KAI_TRIGGER, value: options.meta.trigger },
      ...(options.meta.workflowId ? [{ key: KAI_WORKFLOW_ID, value: options.meta.workflowId }] : []),
    ],
  });
  runsStarted.inc({ trigger: options.meta.trigger });
  return handle;
}

/**
 * A client on a worker's NativeConnection (`npm start` runs the API and the worker in one process) asks for the
 * run's first workflow task in the answer to the start, which the SDK hands to that worker when it has a free slot
 * for the task queue (it drops the request otherwise). A sync webhook or a REST start with `wait` then skips a
 * trip through Temporal's matching service.
 */
function sharesWorkerConnection(client: Client): boolean {
  return (client.connection as InternalConnectionLike)[InternalConnectionLikeSymbol]?.supportsEagerStart === true;
}
