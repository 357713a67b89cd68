import { createHash, randomUUID } from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { GraphValidationError } from '../../engine/graph-problem';
import type { Database } from '../../db/orm';
import { startRun, type RunHandle } from '../../platform/start-run';
import type { ApiServices } from '../services';
import { insertRunRow } from '../services/run-rows';
import type { DeliveryInput } from './delivery-input';
import { DeliveryRejection } from './delivery-rejection';
import type { PublishedHook } from './published-hooks';

export interface DeliveryRun {
  runId: string;
  handle: RunHandle;
  /** Temporal's run id of the execution, known from the start; looked up for a duplicate only if needed. */
  temporalRunId?: string;
  /** True when an earlier delivery with the same idempotency key had started this run. */
  duplicate: boolean;
}

/** Seconds a sender is asked to wait before retrying a delivery whose run could not be started. */
const RETRY_AFTER_SECONDS = 5;

/**
 * The run id of the delivery with `key` to `hookId`: SHA-256 of both laid out as a version-8 (custom) UUID, so
 * webhook runs carry `run-<uuid>` ids like every other run, and every retry of a delivery names the same run.
 */
export function runIdForKey(hookId: string, key: string): string {
  const hex = createHash('sha256').update(`${hookId}\n${key}`).digest('hex');
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `run-${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * Starts the run of a delivery, or finds the run an earlier delivery with the same idempotency key started, and
 * makes sure its Run row exists. Resolves only once Temporal holds the run and the row is written, so an answer
 * sent after it can promise the run; a failure on either side is a 503 the sender should retry (with its key,
 * that retry cannot start a second run).
 *
 * With a key, the workflow id is derived from it and started with REJECT_DUPLICATE: Temporal refuses a second
 * execution under that id even after the first has closed, and the refusal tells us which run to report. The row
 * is inserted on the duplicate path too (ignoring an existing one), which repairs a delivery whose process died
 * between the start and the insert.
 */
export async function startDeliveryRun(services: ApiServices, { hook, plan }: PublishedHook, inputs: DeliveryInput, key: string | undefined): Promise<DeliveryRun> {
  const version = hook.version.getEntity();
  const runId = key === undefined ? `run-${randomUUID()}` : runIdForKey(hook.id, key);
  const { client, taskQueue, activityRoutes } = services.temporal;
  let run: DeliveryRun;
  /** Temporal's id of the execution and when it started: known from a start, looked up for a duplicate if needed. */
  let execution: () => Promise<{ runId: string; startTime: Date }>;
  try {
    const handle = await startRun(client, {
      graph: version.graph,
      plan: plan(),
      inputs: { ...inputs },
      meta: { trigger: 'webhook', workspaceId: hook.workspace.id, workflowId: hook.workflow.id, workflowVersion: version.number },
      taskQueue,
      activityRoutes,
      runId,
      idReusePolicy: 'REJECT_DUPLICATE',
    });
    run = { runId, handle, duplicate: false };
    execution = async () => ({ runId: handle.firstExecutionRunId, startTime: new Date() });
  } catch (error) {
    if (error instanceof GraphValidationError) {
      throw new DeliveryRejection(500, 'internal', 'the workflow behind this webhook cannot run', `version ${version.number} no longer plans: ${error.message}`, {}, { cause: error });
    }
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw unavailable('Temporal did not accept the run', error);
    const handle = client.workflow.getHandle(runId);
    run = { runId, handle, duplicate: true };
    execution = () => handle.describe();
  }

  try {
    if (!run.duplicate || !(await runRowExists(services.orm, runId))) {
      const { runId: temporalRunId, startTime } = await execution();
      await insertRunRow(services.orm, {
        id: runId,
        workspaceId: hook.workspace.id,
        workflowId: hook.workflow.id,
        versionId: version.id,
        versionNumber: version.number,
        trigger: 'webhook',
        startedById: null,
        temporalRunId,
        inputs: { ...inputs },
        startedAt: startTime,
      });
    }
  } catch (error) {
    throw unavailable('the run was started but could not be recorded', error);
  }
  return run;
}

// Plain SQL on the delivery path: no entity metadata, unit of work or hydration for every request.
async function runRowExists(orm: Database, runId: string): Promise<boolean> {
  const rows = await orm.em.getConnection().execute<unknown[]>('select 1 from runs where id = ?', [runId]);
  return rows.length > 0;
}

function unavailable(reason: string, cause: unknown): DeliveryRejection {
  return new DeliveryRejection(503, 'unavailable', 'the delivery could not be accepted now; retry it (with the same Idempotency-Key)', reason, { 'retry-after': String(RETRY_AFTER_SECONDS) }, { cause });
}
