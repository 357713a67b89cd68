import { randomUUID } from 'node:crypto';
import { WorkflowFailedError } from '@temporalio/client';
import { Run, WorkflowVersion } from '../../db/entities';
import type { GraphInput } from '../../engine/graph';
import { startRun } from '../../platform/start-run';
import type { ApiHarness, TestAccount } from '../../test/api-harness';
import { startApiWithHttpFixture } from '../../test/api-with-http-fixture';
import { sendJson, type HttpFixture } from '../../test/http-fixture';
import { createPublishedWorkflow } from '../../test/published-workflow';
import { runStateQuery } from '../../workflows/messages';
import { NOT_YET_STARTED } from './run-dto';
import { reconcileRuns, startRunReconciler } from './run-reconciler';
import { START_GRACE_MS } from './run-refresh';
import { graphEdge as edge, graphNode as node } from '../../test/graph-builders';

let api: ApiHarness;
let http: HttpFixture;
let owner: TestAccount;

beforeAll(async () => {
  ({ api, http, owner } = await startApiWithHttpFixture({ ownerName: 'reconciler', runsFailOnPurpose: true }));
  http.route('/gone', (_req, res) => sendJson(res, 404, {}));
}, 120_000);
afterAll(async () => {
  await Promise.all([api?.close(), http?.close()]);
});

const graphs = {
  succeeds: { nodes: [node('start', 'start'), node('greet', 'set', { values: { text: 'hi {{ input.name }}' } }), node('end', 'end')], edges: [edge('start', 'greet'), edge('greet', 'end')] },
  fails: () => ({ nodes: [node('start', 'start'), node('call', 'http-request', { url: `${http.url}/gone` }), node('end', 'end')], edges: [edge('start', 'call'), edge('call', 'end')] }),
  waits: { nodes: [node('start', 'start'), node('approve', 'approval'), node('end', 'end')], edges: [edge('start', 'approve'), edge('approve', 'end', 'approved')] },
} satisfies Record<string, GraphInput | (() => GraphInput)>;

/**
 * What an API that stopped right after starting a run leaves behind: the run in Temporal and its index row still
 * `running` (or, with `started: false`, a row whose start never reached Temporal).
 */
async function startUnwatched(graph: GraphInput, options: { inputs?: Record<string, unknown>; started?: boolean; startedAt?: Date } = {}) {
  const workflowId = await createPublishedWorkflow(api.services.orm, owner, graph);
  const em = api.services.orm.em.fork();
  const version = await em.findOneOrFail(WorkflowVersion, { workflow: workflowId, number: 1 });
  const id = `run-${randomUUID()}`;
  const handle =
    options.started === false
      ? undefined
      : await startRun(api.temporal.client, {
          graph,
          inputs: options.inputs,
          taskQueue: api.temporal.taskQueue,
          runId: id,
          meta: { trigger: 'api', workspaceId: owner.workspaceId, workflowId, workflowVersion: 1 },
        });
  em.create(Run, {
    id,
    workspace: owner.workspaceId,
    workflow: workflowId,
    version,
    versionNumber: 1,
    trigger: 'api',
    startedBy: owner.userId,
    temporalRunId: NOT_YET_STARTED,
    status: 'running',
    inputs: options.inputs ?? {},
    startedAt: options.startedAt ?? new Date(),
  });
  await em.flush();
  return { id, handle };
}

const row = (id: string) => api.services.orm.em.fork().findOneOrFail(Run, { id });

async function settled(promise: Promise<unknown>): Promise<void> {
  await promise.catch((error: unknown) => {
    if (!(error instanceof WorkflowFailedError)) throw error;
  });
}

test('runs that closed while no API was watching end up with their final status, result or error, and end time', async () => {
  const succeeded = await startUnwatched(graphs.succeeds, { inputs: { name: 'Ada' } });
  const failed = await startUnwatched(graphs.fails());
  const cancelled = await startUnwatched(graphs.waits);
  const terminated = await startUnwatched(graphs.waits);
  const stillWaiting = await startUnwatched(graphs.waits);
  for (const run of [cancelled, terminated, stillWaiting]) {
    for (let state = await run.handle!.query(runStateQuery); state.nodes.approve.status !== 'waiting'; state = await run.handle!.query(runStateQuery)) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  await cancelled.handle!.cancel();
  await terminated.handle!.terminate('operator stopped it');
  await Promise.all([succeeded, failed, cancelled, terminated].map((run) => settled(run.handle!.result())));
  expect((await row(succeeded.id)).status).toBe('running');

  const summary = await reconcileRuns(api.services);
  expect(summary).toEqual({ checked: 5, updated: 5 });

  const closeTime = async (run: typeof succeeded) => (await run.handle!.describe()).closeTime;
  expect(await row(succeeded.id)).toMatchObject({
    status: 'succeeded',
    result: { output: { text: 'hi Ada' }, endNodeIds: ['end'] },
    error: null,
    endedAt: await closeTime(succeeded),
    temporalRunId: succeeded.handle!.firstExecutionRunId,
  });
  expect(await row(failed.id)).toMatchObject({ status: 'failed', result: null, endedAt: await closeTime(failed) });
  expect((await row(failed.id)).error).toMatch(/\(call\) failed: GET .* answered 404/);
  expect(await row(cancelled.id)).toMatchObject({ status: 'cancelled', endedAt: await closeTime(cancelled) });
  expect(await row(terminated.id)).toMatchObject({ status: 'terminated', error: 'operator stopped it' });
  expect(await row(stillWaiting.id)).toMatchObject({ status: 'running', endedAt: null, temporalRunId: stillWaiting.handle!.firstExecutionRunId });

  expect((await reconcileRuns(api.services)).updated).toBe(0);
  await stillWaiting.handle!.terminate();
});

test('a row whose start never reached Temporal is marked failed once the start can no longer arrive', async () => {
  const recent = await startUnwatched(graphs.succeeds, { started: false });
  const abandoned = await startUnwatched(graphs.succeeds, { started: false, startedAt: new Date(Date.now() - START_GRACE_MS - 1000) });
  await reconcileRuns(api.services);
  expect(await row(recent.id)).toMatchObject({ status: 'running', endedAt: null });
  expect(await row(abandoned.id)).toMatchObject({ status: 'failed', error: expect.stringMatching(/never started/) });
});

test('the periodic reconciler settles runs in the background until stopped', async () => {
  const run = await startUnwatched(graphs.succeeds, { inputs: { name: 'Bo' } });
  await run.handle!.result();
  const stop = startRunReconciler(api.services, 100);
  try {
    const giveUp = Date.now() + 10_000;
    while ((await row(run.id)).status === 'running' && Date.now() < giveUp) await new Promise((resolve) => setTimeout(resolve, 100));
  } finally {
    await stop();
  }
  expect(await row(run.id)).toMatchObject({ status: 'succeeded', result: { output: { text: 'hi Bo' } } });
});
