import { ApplicationFailure, ChildWorkflowFailure, executeChild, isCancellation, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { PlanForEachInput, PlannedForEach } from '../activities/plan-for-each';
import { chunk, MAX_FOR_EACH_ITEMS, planCalls } from '../engine/for-each';
import { isOutputRef } from '../engine/output-ref';
import type { ForEachCallOutcome, PlannedNodeOf, RunMetadata } from '../engine/plan';
import type { ForEachProgress } from '../engine/run-state';
import { KAI_TRIGGER, KAI_WORKFLOW_ID } from '../platform/search-attributes';
import type { interpretGraph } from './interpret-graph';

export interface ForEachRequest {
  node: PlannedNodeOf<'for-each'>;
  /** The node's config, templates resolved. */
  config: Record<string, unknown>;
  items: unknown;
  meta: RunMetadata;
  /** Unique within the run: chunk run ids are the run's id, it and the chunk number. */
  callId: string;
  /** Told once the loop is planned, with the progress object it then keeps up to date. */
  onStart: (progress: ForEachProgress) => void;
}

export interface ForEachOutput {
  results: unknown[];
  errors: { index: number; message: string }[];
  succeeded: number;
  failed: number;
  workflowId: string;
  version: number;
}

/**
 * The node's output stays in the run (the next nodes read it, the End may return it); past this many JSON characters
 * it would crowd Temporal's 2 MB payload limit, so the node fails and says so.
 */
export const FOR_EACH_OUTPUT_MAX = 1024 * 1024;

/** Failed calls a failed loop lists in its failure's details (its history keeps them). */
const FAILURE_ERRORS_MAX = 100;

/**
 * "For each item, run another workflow": an activity plans the published workflow and checks the settings, then the
 * calls run in chunks, each chunk one child run of the interpreter that walks the called plan once per call (see
 * for-each-chunk.ts). At most `concurrency` calls are in flight: that many chunks at once, sharing it out.
 */
export async function runForEach(request: ForEachRequest): Promise<ForEachOutput> {
  const { node, meta, items } = request;
  if (isOutputRef(items)) {
    throw invalid(`${node.label}: items is an output of ${items.bytes} bytes stored outside the run, too large to loop over here: have the node that makes the list return less`);
  }
  if (!Array.isArray(items)) throw invalid(`${node.label}: items must be a list, got ${items === null ? 'null' : typeof items}`);
  if (items.length > MAX_FOR_EACH_ITEMS) throw invalid(`${node.label}: ${items.length} items, more than the ${MAX_FOR_EACH_ITEMS} one loop takes`);
  const { items: _items, ...settings } = request.config;
  const activities = proxyActivities<Record<string, (input: PlanForEachInput) => Promise<PlannedForEach>>>({
    activityId: `${request.callId}.plan`,
    summary: node.label,
    taskQueue: node.activity.taskQueue,
    startToCloseTimeout: node.activity.timeouts.startToClose,
    scheduleToCloseTimeout: node.activity.timeouts.scheduleToClose,
    retry: node.activity.retry,
  });
  const callDepth = meta.callDepth ?? 0;
  const planned = await activities[node.activity.activityType]({ node: { id: node.id, label: node.label }, workspaceId: meta.workspaceId, config: settings, callDepth });
  const { concurrency, batchSize, continueOnItemError } = planned.settings;
  const calls = planCalls(items, batchSize);
  const chunks = chunk(calls, planned.callsPerChunk);
  const lanes = Math.min(chunks.length, concurrency);
  const callsPerLane = Math.max(1, Math.floor(concurrency / Math.max(1, lanes)));
  const runIdPrefix = `${workflowInfo().workflowId}.${request.callId}`;
  const progress: ForEachProgress = {
    items: items.length,
    batchSize,
    calls: calls.length,
    running: 0,
    succeeded: 0,
    failed: 0,
    errors: [],
    chunks: chunks.map((chunkCalls, c) => ({ runId: `${runIdPrefix}.${c + 1}`, firstCall: c * planned.callsPerChunk, calls: chunkCalls.length, status: 'pending' })),
  };
  request.onStart(progress);
  const results: unknown[] = calls.map(() => null);

  const record = (outcome: ForEachCallOutcome, call: number) => {
    if ('error' in outcome) {
      progress.failed++;
      progress.errors.push({ index: outcome.index, message: outcome.error.message });
    } else {
      progress.succeeded++;
      results[call] = outcome.output;
    }
  };

  const runChunk = async (c: number) => {
    const chunkProgress = progress.chunks[c];
    Object.assign(chunkProgress, { status: 'running' });
    progress.running += chunkProgress.calls;
    try {
      const outcome = await executeChild<typeof interpretGraph>('interpretGraph', {
        workflowId: chunkProgress.runId,
        typedSearchAttributes: [
          { key: KAI_TRIGGER, value: 'workflow' },
          { key: KAI_WORKFLOW_ID, value: planned.workflowId },
        ],
        args: [
          {
            plan: planned.plan,
            inputs: {},
            meta: { trigger: 'workflow', workspaceId: meta.workspaceId, workflowId: planned.workflowId, workflowVersion: planned.version, startedBy: meta.startedBy, callDepth: callDepth + 1 },
            forEachChunk: { calls: chunks[c], concurrency: callsPerLane, stopOnError: !continueOnItemError },
          },
        ],
      });
      const outcomes = outcome.output as ForEachCallOutcome[];
      outcomes.forEach((callOutcome, position) => record(callOutcome, chunkProgress.firstCall + position));
      Object.assign(chunkProgress, { status: 'completed', ran: outcomes.length });
    } catch (error) {
      if (isCancellation(error) || !(error instanceof ChildWorkflowFailure)) throw error;
      // The chunk failed as a whole (its results too large, or it was terminated): none of its calls has a result.
      Object.assign(chunkProgress, { status: 'failed' });
      const message = `chunk run ${chunkProgress.runId} failed: ${error.cause?.message ?? error.message}`;
      chunks[c].forEach((call, position) => record({ index: call.index, error: { message } }, chunkProgress.firstCall + position));
    } finally {
      progress.running -= chunkProgress.calls;
    }
  };

  let next = 0;
  const stopped = () => !continueOnItemError && progress.failed > 0;
  const lane = async () => {
    while (!stopped() && next < chunks.length) await runChunk(next++);
  };
  await Promise.all(Array.from({ length: lanes }, lane));

  progress.errors.sort((a, b) => a.index - b.index);
  if (stopped()) {
    const [first] = progress.errors;
    throw ApplicationFailure.create({ message: `item ${first.index} failed: ${first.message}`, type: 'ForEachItemFailed', nonRetryable: true, details: [{ errors: progress.errors.slice(0, FAILURE_ERRORS_MAX) }] });
  }
  const output: ForEachOutput = { results, errors: progress.errors, succeeded: progress.succeeded, failed: progress.failed, workflowId: planned.workflowId, version: planned.version };
  const size = JSON.stringify(output).length;
  if (size > FOR_EACH_OUTPUT_MAX) {
    throw ApplicationFailure.create({
      message: `${node.label}: the results take ${size} characters, more than the ${FOR_EACH_OUTPUT_MAX} a run carries: have the called workflow's End return less`,
      type: 'ForEachResultsTooLarge',
      nonRetryable: true,
    });
  }
  return output;
}

function invalid(message: string): ApplicationFailure {
  return ApplicationFailure.create({ message, type: 'InvalidNodeConfig', nonRetryable: true });
}
