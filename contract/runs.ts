import { z } from 'zod';
import { graphSchema, nodeIdSchema } from '../engine/graph';
import { userRefDto } from './workflows';

/** Request and response shapes of /api/v1/runs and /workflows/:workflowId/runs; shared by the server and the canvas. */

export const runStatusSchema = z.enum(['running', 'succeeded', 'failed', 'cancelled', 'terminated', 'timed_out']);
export type RunStatusName = z.infer<typeof runStatusSchema>;
export const runTriggerSchema = z.enum(['api', 'cli', 'webhook', 'schedule', 'rerun', 'test']);

/** Run ids are Temporal workflow ids: `run-` and a uuid. */
/** `run-<uuid>` (API, CLI), `run-sch-<uuid>-<fire time>` (schedules), `run-wh_<hook>-<key hash>` (webhooks). */
export const runIdSchema = z
  .string()
  .max(200)
  .regex(/^run-[A-Za-z0-9_:.-]+$/, 'must be a run id (run-<uuid>, or a scheduled or webhook run id)');

const inputsSchema = z.record(z.string(), z.unknown());

export const startRunBody = z
  .object({
    inputs: inputsSchema.default({}).describe('what the Start node hands on'),
    version: z.number().int().min(1).optional().describe('published version number; the latest when left out'),
    wait: z.number().min(0).max(60).default(0).describe('seconds to wait for the result before answering 202'),
  })
  .strict();
export type StartRunBody = z.infer<typeof startRunBody>;

export const listRunsQuery = z
  .object({
    workflowId: z.uuid().optional(),
    status: runStatusSchema.optional(),
    trigger: runTriggerSchema.optional(),
    kind: z.enum(['production', 'test']).default('production').describe('test: only the test runs of drafts, which are left out otherwise'),
    startedAfter: z.iso.datetime({ offset: true }).optional().describe('ISO 8601; runs started at or after'),
    startedBefore: z.iso.datetime({ offset: true }).optional().describe('ISO 8601; runs started before'),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: z.string().min(1).max(500).optional().describe('nextCursor of the previous page'),
  })
  .strict();
export type ListRunsQuery = z.infer<typeof listRunsQuery>;

export const getRunQuery = z
  .object({
    resolve: z
      .enum(['true', 'false'])
      .default('true')
      .describe('false keeps stored outputs as { $kaiRef, bytes } references instead of loading them'),
  })
  .strict();

export const runEventsStreamQuery = z
  .object({ lastEventId: z.string().max(200).optional().describe('resume after this event id (the Last-Event-ID header does the same)') })
  .strict();

export const terminateRunBody = z.object({ reason: z.string().trim().min(1).max(1000).optional() }).strict().default({});

export const approvalBody = z
  .object({
    data: z.unknown().optional().describe('handed to the nodes after the approval'),
    comment: z.string().max(5000).optional(),
  })
  .strict()
  .default({});
export type ApprovalBody = z.infer<typeof approvalBody>;

export const rerunBody = z
  .object({
    fromNode: nodeIdSchema.describe('runs again from this node on; the nodes not downstream of it reuse their recorded outcomes'),
    inputs: inputsSchema.optional().describe("the earlier run's inputs when left out"),
  })
  .strict();
export type RerunBody = z.infer<typeof rerunBody>;

export const runLinksDto = z.object({
  self: z.string(),
  events: z.string().describe('Server-Sent Events of the run'),
  temporalUi: z.string().nullable().describe("the run's history in Temporal Web UI, when its address is known"),
});

export const startedRunDto = z.object({ id: z.string(), status: z.literal('running'), links: runLinksDto });
export type StartedRunDto = z.infer<typeof startedRunDto>;

const nodeErrorDto = z.object({ message: z.string(), type: z.string().optional() });

export const runSummaryDto = z.object({
  id: z.string(),
  workflowId: z.uuid(),
  workflowName: z.string().describe("the workflow's name as it is now"),
  version: z.number().int().nullable().describe('the published version it ran; null for a test run of a draft'),
  status: runStatusSchema,
  trigger: runTriggerSchema,
  startedBy: userRefDto.nullable(),
  startedAt: z.iso.datetime(),
  endedAt: z.iso.datetime().nullable(),
  error: z.string().nullable(),
  rerunOf: z.string().nullable(),
  rerunFromNode: z.string().nullable(),
  links: runLinksDto,
});
export type RunSummaryDto = z.infer<typeof runSummaryDto>;

export const runListDto = z.object({ items: z.array(runSummaryDto), nextCursor: z.string().nullable() });
export type RunListDto = z.infer<typeof runListDto>;

export const runRecordDto = runSummaryDto.extend({
  inputs: inputsSchema,
  result: z
    .object({ output: z.unknown(), endNodeIds: z.array(z.string()), response: z.unknown().optional() })
    .nullable()
    .describe('what the End node received; null until the run succeeds'),
  temporal: z.object({ workflowId: z.string(), runId: z.string().nullable().describe('null until Temporal has accepted the start') }),
});
export type RunRecordDto = z.infer<typeof runRecordDto>;

/** Calls of a For Each node listed in a run's detail at most; the counts cover them all. */
export const FOR_EACH_CALLS_LISTED = 500;

export const forEachProgressDto = z.object({
  items: z.number().int(),
  batchSize: z.number().int(),
  calls: z.number().int().describe('one per item, or per batch of batchSize items'),
  running: z.number().int().describe('calls of the chunk runs in flight'),
  succeeded: z.number().int(),
  failed: z.number().int(),
  listed: z
    .array(
      z.object({
        index: z.number().int().describe("the list index of the call's (first) item"),
        status: z.enum(['pending', 'running', 'succeeded', 'failed', 'not_run']),
        error: z.string().nullable(),
        runId: z.string().describe('the Temporal workflow id of the chunk run that carried the call'),
        position: z.number().int().describe("the call's position in that chunk run"),
        temporalUi: z.string().nullable().describe('the chunk run in Temporal Web UI, when its address is known'),
      }),
    )
    .describe(`the first ${FOR_EACH_CALLS_LISTED} calls in item order`),
});
export type ForEachProgressDto = z.infer<typeof forEachProgressDto>;

export const nodeAttemptDto = z.object({
  attempt: z.number().int(),
  status: z.enum(['succeeded', 'failed']),
  durationMs: z.number(),
  error: nodeErrorDto.nullable(),
  endedAt: z.iso.datetime(),
});
export type NodeAttemptDto = z.infer<typeof nodeAttemptDto>;

export const runNodeDto = z.object({
  id: z.string(),
  label: z.string(),
  type: z.string(),
  status: z
    .enum(['pending', 'running', 'waiting', 'succeeded', 'failed', 'skipped', 'not_run', 'cancelled'])
    .describe('not_run: the run ended before the node ran; cancelled: it was running or waiting when the run was cancelled or ended'),
  attempts: z.number().int(),
  startedAt: z.iso.datetime().nullable(),
  endedAt: z.iso.datetime().nullable(),
  branch: z.string().nullable().describe('the output handle a condition or approval took'),
  error: nodeErrorDto.nullable(),
  message: z.string().nullable().describe('what a waiting Approval asks'),
  reusedFrom: z.string().nullable().describe('the earlier run whose recorded outcome a re-run took instead of running the node'),
  pinned: z.boolean().optional().describe('a test run took the pinned output of this node instead of running it'),
  input: z.unknown().optional(),
  output: z.unknown().optional(),
  unresolved: z.string().nullable().describe('why stored outputs in input/output are still references'),
  forEach: forEachProgressDto.optional().describe("a For Each node's loop, once it has started"),
  attemptLog: z
    .array(nodeAttemptDto)
    .optional()
    .describe('every failed attempt and the one that ended a retried node, oldest first; left out when there was only one attempt and it succeeded, or after the live events were pruned'),
});
export type RunNodeDto = z.infer<typeof runNodeDto>;

export const runDetailDto = runRecordDto.extend({
  nodes: z.array(runNodeDto).nullable().describe('in execution-plan order; null when no worker answered'),
  nodesUnavailable: z.string().nullable().describe('why nodes is null'),
  graph: graphSchema.nullable().describe('the draft graph a test run ran, pins included; null for runs of a published version'),
});
export type RunDetailDto = z.infer<typeof runDetailDto>;

export const approvalDecisionDto = z.object({ nodeId: z.string(), approved: z.boolean() });

/**
 * A live event of a running node: an LLM token, an agent step, `llm.reset` when a retried attempt starts its
 * stream again (drop what the node streamed before), `node.retrying` when a failed attempt will be retried
 * (`{ attempt, lastFailure }`), or `node.attempt` when an attempt failed or ended a retried node. Not part of the
 * run's history; kept for a few days. On the run's SSE stream they arrive as `event: node.live` (`node.retrying` as
 * `event: node.retrying`), each node's before the event that closes it. Stream event ids carry two cursors once live events
 * are involved: `<journal seq>_<live id>` (e.g. `7_1042`), with a dot and suffix for events the journal does not
 * number (`7_1042.run.cancelled`). Resuming with such an id resumes both the journal and the live events after
 * it; an id without `_` (a run without live events) resumes the journal only, as before.
 */
export const liveEventTypeSchema = z.enum(['llm.token', 'llm.reset', 'agent.step', 'node.retrying', 'node.attempt']);

export const liveEventDto = z.object({
  id: z.number().int().describe('increases through the run; the cursor for `after`'),
  nodeId: z.string(),
  attempt: z.number().int(),
  seq: z.number().int().describe('order within the node attempt, from 1'),
  type: liveEventTypeSchema,
  data: z.unknown(),
  at: z.iso.datetime(),
});
export type LiveEventDto = z.infer<typeof liveEventDto>;

export const liveEventsQuery = z
  .object({
    after: z.coerce.number().int().min(0).default(0).describe('only events with a larger id (nextAfter of the previous page)'),
    limit: z.coerce.number().int().min(1).max(1000).default(500),
  })
  .strict();

export const liveEventListDto = z.object({ items: z.array(liveEventDto), nextAfter: z.number().int().nullable().describe('null when there are no more yet') });

export const testRunBody = z
  .object({
    graph: z.unknown().optional().describe("the draft to run as the canvas holds it, saved or not; the workflow's saved draft when left out"),
    inputs: inputsSchema.optional().describe("what the Start node hands on; with `node`, the latest test run's inputs when left out, else {}"),
    node: nodeIdSchema
      .optional()
      .describe('run only this node: the nodes it depends on give their pinned output, or else their outcome in the latest test run'),
    wait: z.number().min(0).max(60).default(0).describe('seconds to wait for the result before answering 202'),
  })
  .strict();
export type TestRunBody = z.infer<typeof testRunBody>;

export const finishedTestRunDto = runDetailDto.extend({
  node: runNodeDto.nullable().describe('with `node`: that node as the test left it (its output or error); null otherwise'),
});
export type FinishedTestRunDto = z.infer<typeof finishedTestRunDto>;
