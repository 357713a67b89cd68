import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { nodeIdSchema } from '../../engine/graph';
import {
  approvalBody,
  approvalDecisionDto,
  getRunQuery,
  listRunsQuery,
  liveEventListDto,
  liveEventsQuery,
  rerunBody,
  runDetailDto,
  runEventsStreamQuery,
  runIdSchema,
  runListDto,
  runRecordDto,
  startedRunDto,
  startRunBody,
  terminateRunBody,
  testRunBody,
} from '../../contract/runs';
import { defineRoute, Reply, type Principal } from '../http/define-route';
import type { ApiServices } from '../services';
import { runPath, toStartedRunDto } from '../services/run-dto';
import { cursorOfEventId, streamRunEvents } from '../services/run-events';
import { liveEventSource, readLiveEvents } from '../services/run-live-events';
import { RunService } from '../services/run-service';
import { TestRunService } from '../services/test-run-service';

const tag = 'Runs';
const runParams = z.object({ runId: runIdSchema }).strict();
const nodeParams = z.object({ runId: runIdSchema, nodeId: nodeIdSchema }).strict();

function runsOf({ em, services, principal }: { em: EntityManager; services: ApiServices; principal: Principal }): RunService {
  return new RunService({ em, services, principal });
}

function approvalRoute(approved: boolean) {
  return defineRoute({
    method: 'post',
    path: `/runs/:runId/nodes/:nodeId/${approved ? 'approve' : 'reject'}`,
    summary: `${approved ? 'Approve' : 'Reject'} a waiting Approval node (409 when it is not waiting)`,
    tag,
    access: 'editor',
    apiKeyScope: 'run',
    params: nodeParams,
    body: approvalBody,
    response: approvalDecisionDto,
    handler: async (input) => runsOf(input).decide(input.params.runId, input.params.nodeId, approved, input.body),
  });
}

export const runRoutes = [
  defineRoute({
    method: 'post',
    path: '/workflows/:workflowId/runs',
    summary: 'Run a published version; with `wait`, answer with the result if the run finishes in time',
    tag,
    access: 'editor',
    apiKeyScope: 'run',
    params: z.object({ workflowId: z.uuid() }).strict(),
    body: startRunBody,
    status: 202,
    response: startedRunDto,
    handler: async (input) => {
      const { run, finished } = await runsOf(input).start(input.params.workflowId, input.body);
      const headers = { location: runPath(run.id) };
      return finished ? new Reply(200, finished, headers) : new Reply(202, toStartedRunDto(run, input.services.temporal), headers);
    },
  }),
  defineRoute({
    method: 'post',
    path: '/workflows/:workflowId/test-runs',
    summary:
      'Test-run a draft (the saved one, or the graph sent), pinned nodes giving their pinned output; with `node`, run that node alone. ' +
      'Listed with ?kind=test, never a version; with `wait`, answer with the finished run',
    tag,
    access: 'editor',
    // Not `run`: a test run runs whatever graph it is sent, which only keys that may write the workflow could save.
    apiKeyScope: 'write',
    params: z.object({ workflowId: z.uuid() }).strict(),
    body: testRunBody,
    status: 202,
    response: startedRunDto,
    handler: async (input) => {
      const { run, finished } = await new TestRunService(input).start(input.params.workflowId, input.body);
      const headers = { location: runPath(run.id) };
      return finished ? new Reply(200, finished, headers) : new Reply(202, toStartedRunDto(run, input.services.temporal), headers);
    },
  }),
  defineRoute({
    method: 'get',
    path: '/runs',
    summary: "This workspace's runs, newest first",
    tag,
    access: 'viewer',
    query: listRunsQuery,
    response: runListDto,
    handler: async (input) => runsOf(input).list(input.query),
  }),
  defineRoute({
    method: 'get',
    path: '/runs/:runId',
    summary: 'One run with the status, input and output of each node',
    tag,
    access: 'viewer',
    params: runParams,
    query: getRunQuery,
    response: runDetailDto,
    handler: async (input) => runsOf(input).get(input.params.runId, input.query.resolve === 'true'),
  }),
  defineRoute({
    method: 'get',
    path: '/runs/:runId/events',
    summary: "The run's events as Server-Sent Events; Last-Event-ID (or ?lastEventId=) resumes after that event",
    tag,
    access: 'viewer',
    params: runParams,
    query: runEventsStreamQuery,
    streams: true,
    handler: async (input) => {
      const run = await runsOf(input).find(input.params.runId);
      const lastEventId = input.request.get('last-event-id') ?? input.query.lastEventId;
      const cursor = lastEventId === undefined ? { seq: 0, live: 0 } : cursorOfEventId(lastEventId);
      await streamRunEvents({
        client: input.services.temporal.client,
        run,
        afterSeq: cursor.seq,
        afterLive: cursor.live,
        liveEvents: liveEventSource(input.services, run.id),
        response: input.response,
        logger: input.services.logger,
      });
    },
  }),
  defineRoute({
    method: 'get',
    path: '/runs/:runId/nodes/:nodeId/live-events',
    summary: "One node's live events (LLM tokens, agent steps), oldest first; page on with `after`",
    tag,
    access: 'viewer',
    params: nodeParams,
    query: liveEventsQuery,
    response: liveEventListDto,
    handler: async (input) => {
      const run = await runsOf(input).find(input.params.runId);
      const items = await readLiveEvents(input.em, { workflowId: run.id, nodeId: input.params.nodeId, after: input.query.after, limit: input.query.limit });
      return { items, nextAfter: items.length === input.query.limit ? (items.at(-1)?.id ?? null) : null };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/runs/:runId/cancel',
    summary: 'Ask the run to cancel; its status becomes cancelled once it has stopped',
    tag,
    access: 'editor',
    apiKeyScope: 'run',
    params: runParams,
    status: 202,
    response: runRecordDto,
    handler: async (input) => new Reply(202, await runsOf(input).cancel(input.params.runId)),
  }),
  defineRoute({
    method: 'post',
    path: '/runs/:runId/terminate',
    summary: 'Stop the run at once, without letting it clean up',
    tag,
    access: 'editor',
    apiKeyScope: 'run',
    params: runParams,
    body: terminateRunBody,
    response: runRecordDto,
    handler: async (input) => runsOf(input).terminate(input.params.runId, input.body.reason),
  }),
  approvalRoute(true),
  approvalRoute(false),
  defineRoute({
    method: 'post',
    path: '/runs/:runId/rerun',
    summary: 'Run the same version again from one node on, reusing the recorded outcomes of the nodes before it',
    tag,
    access: 'editor',
    apiKeyScope: 'run',
    params: runParams,
    body: rerunBody,
    status: 202,
    response: startedRunDto,
    handler: async (input) => {
      const run = await runsOf(input).rerun(input.params.runId, input.body);
      return new Reply(202, toStartedRunDto(run, input.services.temporal), { location: runPath(run.id) });
    },
  }),
];
