import { z } from 'zod';
import { MAX_FOR_EACH_CONCURRENCY, MAX_FOR_EACH_BATCH } from '../../engine/for-each';
import { DEFAULT_RETRY, defineControlNode, type DefaultRetryPolicy } from '../node-definition';
import type { TimeoutsConfig } from '../../engine/graph';

export const forEachConfigSchema = z
  .object({
    workflowId: z.uuid().describe('a workflow of this workspace; its latest published version runs once per item'),
    items: z.unknown().optional().describe('the list to loop over (a template resolving to an array); by default the value arriving on `in`'),
    concurrency: z.int().min(1).max(MAX_FOR_EACH_CONCURRENCY).default(10).describe('calls in flight at once'),
    batchSize: z
      .int()
      .min(1)
      .max(MAX_FOR_EACH_BATCH)
      .default(1)
      .describe('1: each call gets inputs { item, index }; more: each call gets { items, index } with up to this many items'),
    continueOnItemError: z.boolean().default(false).describe('collect failed items in `errors` and go on, instead of failing on the first'),
  })
  .strict();

export type ForEachConfig = z.output<typeof forEachConfigSchema>;

/** The activity that loads and plans the called workflow and checks the settings before the loop starts. */
export const PLAN_FOR_EACH_ACTIVITY = 'plan-for-each@1';
export const planForEachRetry: DefaultRetryPolicy = { ...DEFAULT_RETRY, nonRetryableErrorTypes: ['InvalidNodeConfig', 'WorkflowNotRunnable', 'ServiceUnavailable'] };
export const planForEachTimeouts: TimeoutsConfig = { startToClose: '30s' };

export const forEachNode = defineControlNode({
  kind: 'for-each',
  type: 'for-each',
  version: 1,
  category: 'flow',
  label: 'For Each',
  keywords: ['loop', 'iterate', 'each', 'map', 'batch'],
  description:
    'Runs the latest published version of another workflow once per item of a list, `concurrency` calls at a time, and ' +
    "outputs the End outputs in item order. Items run in chunks of up to 200 calls, one child run each, so a list of " +
    "10,000 items keeps every run's history small; a finished item never runs again after a worker crash. The called " +
    'workflow may not hold Approval or Agent nodes.',
  config: forEachConfigSchema,
  output: z.object({
    results: z.array(z.unknown()).describe("each call's End output in item order (one per batch when batchSize > 1); null for a failed call"),
    errors: z.array(z.object({ index: z.number(), message: z.string() })).describe('failed calls, by the index of their (first) item'),
    succeeded: z.number(),
    failed: z.number(),
    workflowId: z.string(),
    version: z.number(),
  }),
  inputs: [{ id: 'in', label: 'Items' }],
  outputs: [{ id: 'out', label: 'Results' }],
});
