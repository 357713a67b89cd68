import { ScheduleNotFoundError } from '@temporalio/client';
import { ScheduleLink, Run, Workflow, WorkflowVersion } from '../../db/entities';
import { graphSchema, type GraphInput } from '../../engine/graph';
import { KAI_TRIGGER, KAI_WORKFLOW_ID } from '../../platform/search-attributes';
import { createApiHarness, type ApiHarness, type TestAccount } from '../../test/api-harness';
import type { ScheduleDto } from '../../contract/schedules';
import type { ErrorBody } from '../../contract/errors';
import { ApiError } from '../http/api-error';
import { reconcileRuns } from '../services/run-reconciler';
import { countDueRuns } from '../services/schedule-backfill';
import { deleteSchedulesOfWorkflow, moveSchedulesToVersion, ScheduleService } from '../services/schedule-service';
import { indexScheduledRuns, startScheduledRunIndexer } from '../services/scheduled-run-indexer';
import { runStateQuery, decideApprovalUpdate } from '../../workflows/messages';

let api: ApiHarness;
let owner: TestAccount;
const created: string[] = [];

beforeAll(async () => {
  api = await createApiHarness();
  owner = await api.signUp('scheduler');
}, 120_000);

afterAll(async () => {
  // Schedules outlive the harness in the shared dev server: remove every one made here so none keeps firing.
  for (const id of created) {
    await api.temporal.client.schedule
      .getHandle(id)
      .delete()
      .catch((error: unknown) => {
        if (!(error instanceof ScheduleNotFoundError)) throw error;
      });
  }
  await api?.close();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last saw ${JSON.stringify(value)}`);
    await sleep(200);
  }
}

const scheduleEntry = { id: 'trigger', type: 'schedule', version: 1 };
const end = { id: 'end', type: 'end', version: 1 };
const quickGraph: GraphInput = { nodes: [scheduleEntry, end], edges: [{ id: 'e1', source: 'trigger', target: 'end' }] };
/** Runs until the test approves its Approval node: a run's length is a state the test sets, not a race with a clock. */
const heldGraph: GraphInput = {
  nodes: [scheduleEntry, { id: 'hold', type: 'approval', version: 1, data: { config: {} } }, end],
  edges: [
    { id: 'e1', source: 'trigger', target: 'hold' },
    { id: 'e2', source: 'hold', sourceHandle: 'approved', target: 'end' },
  ],
};

/** Lets a run of {@link heldGraph} finish, once its Approval node waits. */
async function release({ runId, temporalRunId }: { runId: string; temporalRunId: string }): Promise<void> {
  const handle = api.temporal.client.workflow.getHandle(runId, temporalRunId);
  await waitFor('the run to wait for approval', () => handle.query(runStateQuery), (state) => state.nodes.hold?.status === 'waiting');
  await handle.executeUpdate(decideApprovalUpdate, { args: [{ nodeId: 'hold', approved: true, by: 'schedule test' }] });
  await handle.result();
}

/** A workflow with published versions, made with the ORM (publishing belongs to the workflow routes). */
async function workflowWith(account: TestAccount, ...graphs: GraphInput[]): Promise<{ workflowId: string; versionIds: string[] }> {
  const em = api.database.orm.em.fork();
  const parsed = graphs.map((graph) => graphSchema.parse(graph));
  const draftGraph = parsed.at(-1) ?? graphSchema.parse(quickGraph);
  const workflow = em.create(Workflow, { workspace: account.workspaceId, name: 'scheduled', draftGraph, createdBy: account.userId });
  const versions = parsed.map((graph, index) => em.create(WorkflowVersion, { workflow, number: index + 1, graph, createdBy: account.userId }));
  await em.flush();
  return { workflowId: workflow.id, versionIds: versions.map((version) => version.id) };
}

async function publish(workflowId: string, account: TestAccount, graph: GraphInput): Promise<WorkflowVersion> {
  const em = api.database.orm.em.fork();
  const count = await em.count(WorkflowVersion, { workflow: workflowId });
  const version = em.create(WorkflowVersion, { workflow: workflowId, number: count + 1, graph: graphSchema.parse(graph), createdBy: account.userId });
  await em.flush();
  return version;
}

/** Far in the future: a schedule that only runs when triggered or backfilled. */
const yearly = { cron: ['0 0 1 1 *'] };

async function createSchedule(body: Record<string, unknown>, account = owner): Promise<ScheduleDto> {
  const response = await api.request<ScheduleDto>('POST', '/api/v1/schedules', { token: account.token, body: { name: 'test schedule', ...body } });
  if (response.status !== 201) throw new Error(`create failed: ${response.status} ${response.text}`);
  created.push(response.body.id);
  return response.body;
}

async function getSchedule(id: string, account = owner): Promise<ScheduleDto> {
  const response = await api.request<ScheduleDto>('GET', `/api/v1/schedules/${id}`, { token: account.token });
  expect(response.status).toBe(200);
  return response.body;
}

const runIds = (schedule: ScheduleDto) => schedule.info.recentActions.map((action) => action.runId);

/** Waits until the wall clock has passed `instant`: for checks that a run due by then did not start. */
async function passInstant(instant: number): Promise<void> {
  while (Date.now() <= instant) await sleep(instant - Date.now() + 1);
}

/**
 * Shows that no scheduled run started after `taken` actions, although one was due by `dueBy` (a past instant): a
 * trigger is sent as a marker. Temporal's scheduler handles the time that has passed before the signals that woke
 * it, so once the marker's run is counted, every run due before it would have been counted already.
 */
async function expectNoScheduledRunSince(scheduleId: string, taken: number, dueBy: number): Promise<ScheduleDto> {
  await passInstant(dueBy);
  expect((await api.request('POST', `/api/v1/schedules/${scheduleId}/trigger`, { token: owner.token, body: { overlap: 'allow_all' } })).status).toBe(202);
  const after = await waitFor('the marker run', () => getSchedule(scheduleId), (s) => s.info.actionsTaken > taken);
  expect(after.info.actionsTaken).toBe(taken + 1);
  return after;
}

test('every field error names its path; a version must begin at a Schedule or Start node', async () => {
  const { workflowId } = await workflowWith(owner, quickGraph);
  const invalid = await api.request('POST', '/api/v1/schedules', {
    token: owner.token,
    body: {
      workflowId,
      name: 'bad',
      spec: { cron: ['61 * * * *'], intervals: [{ every: '500ms' }], calendars: [{ hour: 24 }], timezone: 'Mars/Olympus' },
      policies: { catchupWindow: '1s', overlap: 'sometimes' },
    },
  });
  expect(invalid.status).toBe(400);
  expect([...new Set(invalid.body.error.details.map((detail: { path: string }) => detail.path))].sort()).toEqual([
    'body.policies.catchupWindow',
    'body.policies.overlap',
    'body.spec.calendars.0.hour',
    'body.spec.cron.0',
    'body.spec.intervals.0.every',
    'body.spec.timezone',
  ]);
  const post = (spec: unknown) => api.request('POST', '/api/v1/schedules', { token: owner.token, body: { workflowId, name: 'bad', spec } });
  expect((await post({})).body.error.details).toEqual([{ path: 'body.spec', message: 'give at least one of cron, intervals, calendars or at' }]);
  expect((await post({ at: new Date(Date.now() + 60_000).toISOString(), cron: ['* * * * *'] })).body.error.details[0].path).toBe('body.spec.cron');
  expect((await post({ intervals: [{ every: '1m', offset: '2m' }] })).body.error.details[0].path).toBe('body.spec.intervals.0.offset');
  expect((await post({ cron: ['0 9 * * MON-FRI', '@every 5m'] })).body.error.details[0].path).toBe('body.spec.cron.1');

  const webhookOnly = await workflowWith(owner, { nodes: [{ id: 'hook', type: 'webhook', version: 1 }, end], edges: [{ id: 'e1', source: 'hook', target: 'end' }] });
  const wrongEntry = await api.request('POST', '/api/v1/schedules', { token: owner.token, body: { workflowId: webhookOnly.workflowId, name: 'x', spec: yearly } });
  expect(wrongEntry.status).toBe(400);
  expect(wrongEntry.body.error.details[0].path).toBe('body.version');
  const unpublished = await workflowWith(owner);
  expect((await api.request('POST', '/api/v1/schedules', { token: owner.token, body: { workflowId: unpublished.workflowId, name: 'x', spec: yearly } })).status).toBe(409);
  expect((await api.request('POST', '/api/v1/schedules', { token: owner.token, body: { workflowId, version: 9, name: 'x', spec: yearly } })).status).toBe(404);
  expect(await api.database.orm.em.fork().count(ScheduleLink, { workflow: [workflowId, webhookOnly.workflowId] })).toBe(0);
});

test('viewers read schedules but cannot change them; another workspace gets 404', async () => {
  const { workflowId } = await workflowWith(owner, quickGraph);
  const schedule = await createSchedule({ workflowId, spec: yearly, paused: true });
  const viewer = await api.signUp('viewer');
  const stranger = await api.signUp('stranger');
  await api.addMember(owner, viewer, 'viewer');
  const asViewer = { token: viewer.token, headers: { 'x-kai-workspace': owner.workspaceId } };
  const path = `/api/v1/schedules/${schedule.id}`;

  expect((await api.request('GET', path, asViewer)).body).toMatchObject({ id: schedule.id, state: { paused: true } });
  expect((await api.request('GET', `/api/v1/schedules?workflowId=${workflowId}`, asViewer)).body.map((s: ScheduleDto) => s.id)).toEqual([schedule.id]);
  for (const [method, suffix, body] of [
    ['PATCH', '', { name: 'renamed' }],
    ['POST', '/pause', {}],
    ['POST', '/unpause', {}],
    ['POST', '/trigger', {}],
    ['POST', '/backfill', { start: '2020-01-01T00:00:00Z', end: '2020-01-02T00:00:00Z' }],
    ['DELETE', '', undefined],
  ] as const) {
    expect({ method, suffix, status: (await api.request(method, path + suffix, { ...asViewer, body })).status }).toEqual({ method, suffix, status: 403 });
    expect({ method, suffix, status: (await api.request(method, path + suffix, { token: stranger.token, body })).status }).toEqual({ method, suffix, status: 404 });
  }
  expect((await api.request('GET', path, { token: stranger.token })).status).toBe(404);
  expect((await api.request('GET', '/api/v1/schedules', { token: stranger.token })).body).toEqual([]);
  expect((await api.request('POST', '/api/v1/schedules', { token: stranger.token, body: { workflowId, name: 'x', spec: yearly } })).status).toBe(404);
  expect((await api.request('GET', '/api/v1/schedules/not-an-id', { token: owner.token })).status).toBe(400);
  expect((await api.request('GET', '/api/v1/schedules/sch-00000000-0000-4000-8000-000000000000', { token: owner.token })).status).toBe(404);
  expect(await getSchedule(schedule.id)).toMatchObject({ name: 'test schedule', state: { paused: true } });
});

test('an every-2-seconds schedule starts runs on its own until paused, and the indexer files them', async () => {
  const { workflowId, versionIds } = await workflowWith(owner, quickGraph);
  // allow_all: a run still going when the next is due (a slow machine) must not make Temporal skip that one.
  const schedule = await createSchedule({ workflowId, spec: { intervals: [{ every: '2s' }] }, policies: { overlap: 'allow_all' }, inputs: { greeting: 'hi' } });
  expect(schedule).toMatchObject({ workflowId, versionId: versionIds[0], versionNumber: 1, spec: { intervals: [{ every: 2000, offset: 0 }] }, state: { paused: false, runsLeft: null } });
  expect(schedule.temporalUiUrl).toBe(`http://localhost:8233/namespaces/default/schedules/${schedule.id}`);
  const stopIndexer = startScheduledRunIndexer(api.services, 300);
  try {
    const fired = await waitFor('two scheduled runs', () => getSchedule(schedule.id), (s) => s.info.actionsTaken >= 2);
    const paused = await api.request<ScheduleDto>('POST', `/api/v1/schedules/${schedule.id}/pause`, { token: owner.token, body: { note: 'maintenance' } });
    expect(paused.body.state).toEqual({ paused: true, note: 'maintenance', runsLeft: null });
    // Any 2 s after the pause hold a due time.
    await expectNoScheduledRunSince(schedule.id, paused.body.info.actionsTaken, Date.now() + 2_000);

    const [firstRun] = runIds(fired);
    expect(firstRun).toMatch(new RegExp(`^run-${schedule.id}-`));
    const handle = api.temporal.client.workflow.getHandle(firstRun);
    expect(await handle.result()).toEqual({ output: { greeting: 'hi' }, endNodeIds: ['end'] });
    const execution = await handle.describe();
    expect(execution.memo).toEqual({ kai: { workspaceId: owner.workspaceId, workflowId, versionId: versionIds[0], versionNumber: 1, scheduleId: schedule.id, inputs: { greeting: 'hi' } } });
    expect(execution.typedSearchAttributes.get(KAI_TRIGGER)).toBe('schedule');
    expect(execution.typedSearchAttributes.get(KAI_WORKFLOW_ID)).toBe(workflowId);
    expect(execution.taskQueue).toBe(api.temporal.taskQueue);

    const recentActions = paused.body.info.recentActions;
    const dueTimes = recentActions.map((action) => Date.parse(action.scheduledAt));
    expect(dueTimes.slice(1).map((time, index) => time - dueTimes[index])).toEqual(dueTimes.slice(1).map(() => 2000));

    const allRuns = runIds(await getSchedule(schedule.id));
    await waitFor('the indexer to file every run', () => api.database.orm.em.fork().count(Run, { id: allRuns }), (count) => count === allRuns.length);
    await Promise.all(allRuns.map((id) => api.temporal.client.workflow.getHandle(id).result()));
    // A run filed while it ran is settled by the run reconciler, as in the API process.
    await reconcileRuns(api.services);
    const rows = await api.database.orm.em.fork().find(Run, { id: allRuns });
    for (const run of rows) {
      expect(run).toMatchObject({ status: 'succeeded', trigger: 'schedule', versionNumber: 1, inputs: { greeting: 'hi' }, result: { output: { greeting: 'hi' } }, startedBy: null });
      expect(run.workspace.id).toBe(owner.workspaceId);
      expect(run.workflow.id).toBe(workflowId);
    }
    const listed = await api.request('GET', `/api/v1/runs?workflowId=${workflowId}&trigger=schedule`, { token: owner.token });
    expect(listed.body.items.map((run: { id: string }) => run.id).sort()).toEqual([...allRuns].sort());
    expect(await indexScheduledRuns(api.services)).toBe(0);
  } finally {
    await stopIndexer();
  }
});

test('trigger now starts one run at once, also on a paused schedule', async () => {
  const { workflowId } = await workflowWith(owner, quickGraph);
  const schedule = await createSchedule({ workflowId, spec: yearly, paused: true, inputs: { n: 1 } });
  expect(schedule.info.actionsTaken).toBe(0);
  expect((await api.request('POST', `/api/v1/schedules/${schedule.id}/trigger`, { token: owner.token })).status).toBe(202);
  const triggered = await waitFor('the triggered run', () => getSchedule(schedule.id), (s) => s.info.actionsTaken >= 1);
  expect(triggered.info.actionsTaken).toBe(1);
  expect(await api.temporal.client.workflow.getHandle(runIds(triggered)[0]).result()).toMatchObject({ output: { n: 1 } });
});

test('a backfill of a past 10-second window at 2-second intervals starts 5 runs', async () => {
  const { workflowId } = await workflowWith(owner, quickGraph);
  const schedule = await createSchedule({ workflowId, spec: { intervals: [{ every: '2s' }] }, paused: true });
  const start = new Date(Math.floor(Date.now() / 10_000) * 10_000 - 60_000);
  const end = new Date(start.getTime() + 10_000);
  const backfill = await api.request('POST', `/api/v1/schedules/${schedule.id}/backfill`, {
    token: owner.token,
    body: { start: start.toISOString(), end: end.toISOString(), overlap: 'allow_all' },
  });
  expect({ status: backfill.status, body: backfill.body }).toEqual({ status: 202, body: { runs: 5 } });
  const filled = await waitFor('5 backfilled runs', () => getSchedule(schedule.id), (s) => s.info.actionsTaken >= 5);
  expect(filled.info.recentActions.map((action) => action.scheduledAt)).toEqual([0, 2, 4, 6, 8].map((s) => new Date(start.getTime() + s * 1000).toISOString()));
  const marked = await expectNoScheduledRunSince(schedule.id, 5, Date.now());
  await Promise.all(runIds(marked).map((id) => api.temporal.client.workflow.getHandle(id).result()));
  // The indexer reads Temporal's visibility, which shows a closed run a moment (up to ~250 ms) after it closed.
  const filed = () => api.database.orm.em.fork().count(Run, { workflow: workflowId, trigger: 'schedule', status: 'succeeded' });
  const indexPass = async () => {
    await indexScheduledRuns(api.services);
    return filed();
  };
  const indexed = await waitFor('every backfilled run filed', indexPass, (count) => count >= 6);
  expect(indexed).toBe(6);
});

test('a backfill over a century of a per-minute schedule is refused, naming the limit and about how many runs it would start', async () => {
  const { workflowId } = await workflowWith(owner, quickGraph);
  const schedule = await createSchedule({ workflowId, spec: { cron: ['* * * * *'] }, paused: true });
  const refused = await api.request('POST', `/api/v1/schedules/${schedule.id}/backfill`, {
    token: owner.token,
    body: { start: '1926-01-01T00:00:00Z', end: '2026-01-01T00:00:00Z' },
  });
  expect(refused.status).toBe(400);
  expect(refused.body.error.details).toEqual([{ path: 'body.end', message: expect.stringContaining('more than 1000 runs') }]);
  // 36,525 days of 1,440 minutes.
  expect(refused.body.error.message).toContain('about 52,596,000');
  expect(refused.body.error.message).toContain('the limit is 1000 runs per backfill');
  expect((await getSchedule(schedule.id)).info.actionsTaken).toBe(0);
});

test('the backfill limit counts due runs from the spec: exactly the limit is accepted, one more is refused', async () => {
  const { workflowId } = await workflowWith(owner, quickGraph);
  const schedule = await createSchedule({ workflowId, spec: { intervals: [{ every: '2s' }] }, paused: true });
  const limited = new ScheduleService(api.database.orm.em.fork(), { ...api.services, scheduleBackfillMaxRuns: 3 }, { workspaceId: owner.workspaceId, userId: owner.userId, email: owner.email });
  const start = Date.parse('2025-06-01T00:00:00Z');
  const range = (seconds: number) => ({ start: new Date(start).toISOString(), end: new Date(start + seconds * 1000).toISOString(), overlap: 'allow_all' as const });
  // [0 s, 7 s) holds 7 s: the runs due at 0, 2 and 4… and 6; [0 s, 6 s) the first three only, the end being exclusive.
  await expect(limited.backfill(schedule.id, range(7))).rejects.toMatchObject({ status: 400, details: [{ path: 'body.end', message: expect.stringContaining('more than 3 runs') }] });
  expect(await limited.backfill(schedule.id, range(6))).toBe(3);
  await waitFor('3 backfilled runs', () => getSchedule(schedule.id), (s) => s.info.actionsTaken >= 3);
});

test('counting due runs reads Temporal page by page, stops where asked, and follows cron, calendars and time zones', async () => {
  const { workflowId } = await workflowWith(owner, quickGraph);
  const everySecond = await createSchedule({ workflowId, spec: { intervals: [{ every: '1s' }] }, paused: true });
  const start = new Date('2025-06-01T00:00:00Z');
  const after = (seconds: number) => ({ start, end: new Date(start.getTime() + seconds * 1000) });
  // Temporal answers at most 1,000 times per call.
  expect((await countDueRuns(api.temporal.client, everySecond.id, after(2_500), 10_000)).count).toBe(2_500);
  expect((await countDueRuns(api.temporal.client, everySecond.id, after(1_000_000), 2_001)).count).toBe(2_001);

  const kolkata = await createSchedule({ workflowId, spec: { cron: ['30 9 * * *'], timezone: 'Asia/Kolkata' }, paused: true });
  // 09:30 in Kolkata is 04:00 UTC: a range from 04:00 on June 1st to 04:00 on June 11th holds ten of them.
  const tenDays = { start: new Date('2025-06-01T04:00:00Z'), end: new Date('2025-06-11T04:00:00Z') };
  expect(await countDueRuns(api.temporal.client, kolkata.id, tenDays, 100)).toEqual({ count: 10, first: tenDays.start, last: new Date('2025-06-10T04:00:00Z') });

  const weekdays = await createSchedule({ workflowId, spec: { calendars: [{ hour: 9, dayOfWeek: [{ start: 'MONDAY', end: 'FRIDAY' }] }], timezone: 'Europe/Paris' }, paused: true });
  // Two weeks from Sunday June 1st, 2025: ten weekdays.
  expect((await countDueRuns(api.temporal.client, weekdays.id, { start, end: new Date('2025-06-15T00:00:00Z') }, 100)).count).toBe(10);
});

test('maxRuns 3 stops the schedule after 3 runs', async () => {
  const { workflowId } = await workflowWith(owner, quickGraph);
  const schedule = await createSchedule({ workflowId, spec: { intervals: [{ every: '1s' }] }, maxRuns: 3 });
  expect([2, 3]).toContain(schedule.state.runsLeft);
  const spent = await waitFor('3 runs', () => getSchedule(schedule.id), (s) => s.info.actionsTaken >= 3);
  expect(spent.state.runsLeft).toBe(0);
  // Any second after the third run holds a due time.
  await expectNoScheduledRunSince(schedule.id, 3, Date.now() + 1_000);
});

test('cron and calendars fire in the schedule time zone; the spec reads back as it was sent', async () => {
  const { workflowId } = await workflowWith(owner, quickGraph);
  const kolkata = await createSchedule({ workflowId, spec: { cron: ['30 9 * * *'], timezone: 'Asia/Kolkata' }, paused: true });
  expect(kolkata.info.nextFireTimes.length).toBeGreaterThan(0);
  // Asia/Kolkata is UTC+05:30 all year: 09:30 there is 04:00 UTC.
  for (const time of kolkata.info.nextFireTimes) expect(time).toMatch(/T04:00:00\.000Z$/);
  expect(kolkata.spec).toEqual({ cron: ['30 9 * * *'], intervals: [], calendars: [], at: null, startAt: null, endAt: null, jitter: 0, timezone: 'Asia/Kolkata' });

  const calendar = { hour: 9, minute: 30, dayOfWeek: [{ start: 'MONDAY', end: 'FRIDAY' }], comment: 'weekday mornings' };
  const newYork = await createSchedule({ workflowId, spec: { calendars: [calendar], timezone: 'America/New_York' }, paused: true });
  const localTime = new Intl.DateTimeFormat('en-US', { timeZone: 'America/New_York', weekday: 'short', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
  for (const time of newYork.info.nextFireTimes) expect(localTime.format(new Date(time))).toMatch(/^(Mon|Tue|Wed|Thu|Fri) 09:30:00$/);
  expect(newYork.spec.calendars).toEqual([{ second: 0, minute: 30, hour: 9, dayOfMonth: '*', month: '*', year: '*', dayOfWeek: { start: 'MONDAY', end: 'FRIDAY' }, comment: 'weekday mornings' }]);

  const resent = await api.request<ScheduleDto>('PATCH', `/api/v1/schedules/${newYork.id}`, { token: owner.token, body: { spec: newYork.spec } });
  expect(resent.status).toBe(200);
  expect(resent.body.spec).toEqual(newYork.spec);
  expect(resent.body.info.nextFireTimes).toEqual(newYork.info.nextFireTimes);
});

test('overlap policy with a run still going: skip drops runs that overlap, buffer one keeps one for later', async () => {
  const { workflowId } = await workflowWith(owner, heldGraph);
  const skip = await createSchedule({ workflowId, spec: yearly, policies: { overlap: 'skip' } });
  const bufferOne = await createSchedule({ workflowId, spec: yearly, policies: { overlap: 'buffer_one' } });
  expect([skip.policies.overlap, bufferOne.policies.overlap]).toEqual(['skip', 'buffer_one']);
  for (let i = 0; i < 3; i++) {
    for (const schedule of [skip, bufferOne]) {
      expect((await api.request('POST', `/api/v1/schedules/${schedule.id}/trigger`, { token: owner.token })).status).toBe(202);
    }
  }
  // No run ends until released, so every trigger after the first meets a run still going.
  const handled = (s: ScheduleDto) => s.info.actionsTaken + s.info.actionsSkippedOverlap;
  const skipped = await waitFor('three triggers handled', () => getSchedule(skip.id), (s) => handled(s) >= 3);
  expect(skipped.info).toMatchObject({ actionsTaken: 1, actionsSkippedOverlap: 2 });
  // Buffer one keeps the second trigger for later and drops the third.
  const held = await waitFor('three triggers handled', () => getSchedule(bufferOne.id), (s) => handled(s) >= 2);
  expect(held.info).toMatchObject({ actionsTaken: 1, actionsSkippedOverlap: 1 });

  await release(held.info.recentActions[0]);
  const buffered = await waitFor('the buffered run', () => getSchedule(bufferOne.id), (s) => s.info.actionsTaken >= 2);
  expect(buffered.info).toMatchObject({ actionsTaken: 2, actionsSkippedOverlap: 1 });
  await release(buffered.info.recentActions[1]);
  await release(skipped.info.recentActions[0]);
  // Triggers in the same second give runs the same workflow id (Temporal appends the second), so each run is
  // read by its own Temporal run id.
  const [first, second] = await Promise.all(
    buffered.info.recentActions.map(({ runId, temporalRunId }) => api.temporal.client.workflow.getHandle(runId, temporalRunId).describe()),
  );
  // The buffered run waited for the first to finish.
  expect(second.startTime.getTime()).toBeGreaterThanOrEqual(first.closeTime?.getTime() ?? Infinity);
});

/**
 * A one-off schedule whose time Temporal still has ahead of it. A creation slower than the lead (a loaded machine)
 * is refused or stored too late to fire, so it is tried again with twice the lead.
 */
async function createOneOff(workflowId: string): Promise<{ schedule: ScheduleDto; at: string }> {
  for (let lead = 2_000; lead <= 32_000; lead *= 2) {
    const at = new Date(Math.ceil((Date.now() + lead) / 1000) * 1000).toISOString();
    const response = await api.request<ScheduleDto>('POST', '/api/v1/schedules', { token: owner.token, body: { name: 'one-off', workflowId, spec: { at } } });
    if (response.status === 201) {
      created.push(response.body.id);
      if (response.body.info.nextFireTimes[0] === at) return { schedule: response.body, at };
    } else {
      expect({ status: response.status, details: (response.body as unknown as ErrorBody).error.details }).toEqual({ status: 400, details: [{ path: 'body.spec.at', message: 'must be in the future' }] });
    }
  }
  throw new Error('no one-off schedule was stored before its time, even 32 s ahead');
}

test('a one-off schedule runs once at its time', async () => {
  const { workflowId } = await workflowWith(owner, quickGraph);
  const { schedule, at } = await createOneOff(workflowId);
  expect(schedule.spec).toMatchObject({ at, cron: [], intervals: [], startAt: null, endAt: null });
  expect(schedule.info.nextFireTimes).toEqual([at]);
  const ran = await waitFor('the one-off run', () => getSchedule(schedule.id), (s) => s.info.actionsTaken >= 1);
  expect(ran.info.recentActions[0].scheduledAt).toBe(at);
  expect(ran.info.nextFireTimes).toEqual([]);
});

test('PATCH changes version, spec, policies, runs left and inputs; DELETE removes the schedule in Temporal and here', async () => {
  const { workflowId } = await workflowWith(owner, quickGraph);
  const schedule = await createSchedule({ workflowId, spec: yearly, paused: true, note: 'not yet' });
  expect(schedule.state).toEqual({ paused: true, note: 'not yet', runsLeft: null });
  await publish(workflowId, owner, quickGraph);
  const patched = await api.request<ScheduleDto>('PATCH', `/api/v1/schedules/${schedule.id}`, {
    token: owner.token,
    body: { name: 'renamed', version: 2, spec: { intervals: [{ every: '1h', offset: '15m' }] }, policies: { pauseOnFailure: true }, maxRuns: 5, inputs: { v: 2 } },
  });
  expect(patched.status).toBe(200);
  expect(patched.body).toMatchObject({
    name: 'renamed',
    versionNumber: 2,
    spec: { cron: [], intervals: [{ every: 3_600_000, offset: 900_000 }] },
    policies: { overlap: 'skip', pauseOnFailure: true },
    state: { paused: true, note: 'not yet', runsLeft: 5 },
    inputs: { v: 2 },
  });
  const unlimited = await api.request<ScheduleDto>('PATCH', `/api/v1/schedules/${schedule.id}`, { token: owner.token, body: { maxRuns: null, policies: { overlap: 'allow_all' } } });
  expect(unlimited.body).toMatchObject({ state: { runsLeft: null }, policies: { overlap: 'allow_all', pauseOnFailure: true }, inputs: { v: 2 }, versionNumber: 2 });
  expect((await api.request('PATCH', `/api/v1/schedules/${schedule.id}`, { token: owner.token, body: {} })).status).toBe(400);

  await api.request('POST', `/api/v1/schedules/${schedule.id}/trigger`, { token: owner.token });
  const runId = runIds(await getSchedule(schedule.id))[0];
  expect((await api.temporal.client.workflow.getHandle(runId).describe()).memo).toMatchObject({ kai: { versionNumber: 2, inputs: { v: 2 } } });

  expect((await api.request('DELETE', `/api/v1/schedules/${schedule.id}`, { token: owner.token })).status).toBe(204);
  expect((await api.request('GET', `/api/v1/schedules/${schedule.id}`, { token: owner.token })).status).toBe(404);
  await expect(api.temporal.client.schedule.getHandle(schedule.id).describe()).rejects.toBeInstanceOf(ScheduleNotFoundError);
  expect(await api.database.orm.em.fork().count(ScheduleLink, { id: schedule.id })).toBe(0);
});

test('publishing moves every schedule of the workflow to the new version; deleting the workflow deletes them', async () => {
  const { workflowId } = await workflowWith(owner, quickGraph);
  const schedules = [await createSchedule({ workflowId, spec: yearly, paused: true, inputs: { a: 1 } }), await createSchedule({ workflowId, spec: yearly, paused: true })];
  const em = api.database.orm.em.fork();
  const version2 = await publish(workflowId, owner, heldGraph);
  expect((await moveSchedulesToVersion(api.services, em, workflowId, version2.id)).sort()).toEqual(schedules.map((s) => s.id).sort());
  for (const schedule of schedules) expect(await getSchedule(schedule.id)).toMatchObject({ versionId: version2.id, versionNumber: 2, inputs: schedule.inputs });

  const webhookOnly = await publish(workflowId, owner, { nodes: [{ id: 'hook', type: 'webhook', version: 1 }, end], edges: [{ id: 'e1', source: 'hook', target: 'end' }] });
  await expect(moveSchedulesToVersion(api.services, em.fork(), workflowId, webhookOnly.id)).rejects.toBeInstanceOf(ApiError);
  expect((await getSchedule(schedules[0].id)).versionNumber).toBe(2);

  await deleteSchedulesOfWorkflow(api.services, em.fork(), workflowId);
  for (const schedule of schedules) {
    await expect(api.temporal.client.schedule.getHandle(schedule.id).describe()).rejects.toBeInstanceOf(ScheduleNotFoundError);
  }
  expect(await em.fork().count(ScheduleLink, { workflow: workflowId })).toBe(0);
});
