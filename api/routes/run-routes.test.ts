import type { GraphInput } from '../../engine/graph';
import type { RunEvent } from '../../engine/run-state';
import type { ApiHarness, TestAccount } from '../../test/api-harness';
import { startApiWithHttpFixture } from '../../test/api-with-http-fixture';
import { sendJson, type HttpFixture } from '../../test/http-fixture';
import { createPublishedWorkflow } from '../../test/published-workflow';
import { createTemporalHarness } from '../../test/temporal-harness';
import { Run, WorkflowVersion } from '../../db/entities';
import { runEventsQuery } from '../../workflows/messages';
import { graphEdge as edge, graphNode as node } from '../../test/graph-builders';

let api: ApiHarness;
let http: HttpFixture;
let owner: TestAccount;

beforeAll(async () => {
  ({ api, http, owner } = await startApiWithHttpFixture({ ownerName: 'runner', runsFailOnPurpose: true }));
}, 120_000);
afterAll(async () => {
  await Promise.all([api?.close(), http?.close()]);
});

const chain = (...ids: string[]) => ids.slice(1).map((id, i) => edge(ids[i], id));

const greeting: GraphInput = {
  nodes: [node('start', 'start'), node('greet', 'set', { values: { text: 'hi {{ input.name }}' } }), node('end', 'end')],
  edges: chain('start', 'greet', 'end'),
};
const awaitingApproval: GraphInput = {
  nodes: [node('start', 'start'), node('approve', 'approval', { message: 'ship {{ input.name }}?' }), node('after', 'set', { values: { decision: '{{ nodes.approve.output }}' } }), node('end', 'end')],
  edges: [edge('start', 'approve'), edge('approve', 'after', 'approved'), edge('after', 'end')],
};
const failing = (path: string): GraphInput => ({
  nodes: [node('start', 'start'), node('call', 'http-request', { url: `${http.url}${path}` }), node('end', 'end')],
  edges: chain('start', 'call', 'end'),
});

const as = (account: TestAccount, body?: unknown) => ({ token: account.token, body });

async function startRun(workflowId: string, body: Record<string, unknown> = {}, account = owner) {
  return api.request('POST', `/api/v1/workflows/${workflowId}/runs`, as(account, body));
}

async function getRun(runId: string, query = '', account = owner) {
  return api.request('GET', `/api/v1/runs/${runId}${query}`, as(account));
}

/** GETs the run until `done` holds for it. */
async function runUntil(runId: string, done: (run: { status: string; nodes: { id: string; status: string }[] | null }) => boolean, timeoutMs = 20_000) {
  const giveUp = Date.now() + timeoutMs;
  for (;;) {
    const run = await getRun(runId);
    if (done(run.body)) return run.body;
    if (Date.now() > giveUp) throw new Error(`run ${runId} never got there: ${run.text}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function until(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  for (const giveUp = Date.now() + timeoutMs; !condition(); await new Promise((resolve) => setTimeout(resolve, 50))) {
    if (Date.now() > giveUp) throw new Error('the condition never held');
  }
}

const waitingAt = (nodeId: string) => (run: { nodes: { id: string; status: string }[] | null }) => run.nodes?.find((n) => n.id === nodeId)?.status === 'waiting';

interface SseEvent {
  id: string;
  event: string;
  data: Record<string, unknown>;
}

/** An SSE stream read over real HTTP with fetch; `close()` drops the connection like a browser tab going away. */
async function openEvents(runId: string, options: { lastEventId?: string; query?: string } = {}) {
  const abort = new AbortController();
  const headers: Record<string, string> = { authorization: `Bearer ${owner.token}`, accept: 'text/event-stream' };
  if (options.lastEventId) headers['last-event-id'] = options.lastEventId;
  const response = await fetch(`${api.url}/api/v1/runs/${runId}/events${options.query ?? ''}`, { headers, signal: abort.signal });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const queued: SseEvent[] = [];
  return {
    /** The next event, or undefined once the server has ended the stream. */
    async next(): Promise<SseEvent | undefined> {
      for (;;) {
        const queuedEvent = queued.shift();
        if (queuedEvent) return queuedEvent;
        const chunk = await reader.read();
        if (chunk.done) return undefined;
        buffer += decoder.decode(chunk.value, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const fields = Object.fromEntries(
            block
              .split('\n')
              .filter((line) => !line.startsWith(':'))
              .map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 2)]),
          );
          if (fields.id !== undefined) queued.push({ id: fields.id, event: fields.event, data: JSON.parse(fields.data) });
        }
      }
    },
    close: () => abort.abort(),
  };
}

type EventStream = Awaited<ReturnType<typeof openEvents>>;

async function readUntil(stream: EventStream, stop: (event: SseEvent) => boolean): Promise<SseEvent[]> {
  const events: SseEvent[] = [];
  for (let event = await stream.next(); event; event = await stream.next()) {
    events.push(event);
    if (stop(event)) return events;
  }
  throw new Error(`the stream ended before the awaited event: ${JSON.stringify(events)}`);
}

async function readToEnd(stream: EventStream): Promise<SseEvent[]> {
  const events: SseEvent[] = [];
  for (let event = await stream.next(); event; event = await stream.next()) events.push(event);
  return events;
}

test('starting with wait answers 200 with the result, and a failed run with its error', async () => {
  const workflowId = await createPublishedWorkflow(api.services.orm, owner, greeting);
  const started = await startRun(workflowId, { inputs: { name: 'Ada' }, wait: 20 });
  expect(started.status).toBe(200);
  expect(started.body).toMatchObject({
    status: 'succeeded',
    trigger: 'api',
    version: 1,
    workflowId,
    inputs: { name: 'Ada' },
    result: { output: { text: 'hi Ada' }, endNodeIds: ['end'] },
    startedBy: { userId: owner.userId, email: owner.email },
    error: null,
  });
  expect(started.body.id).toMatch(/^run-[0-9a-f-]{36}$/);
  expect(started.headers.get('location')).toBe(`/api/v1/runs/${started.body.id}`);
  expect(started.body.endedAt).not.toBeNull();

  http.route('/missing', (_req, res) => sendJson(res, 404, { error: 'gone' }));
  const failed = await startRun(await createPublishedWorkflow(api.services.orm, owner, failing('/missing')), { wait: 20 });
  expect(failed.status).toBe(200);
  expect(failed.body).toMatchObject({ status: 'failed', result: null });
  expect(failed.body.error).toMatch(/node ".*" \(call\) failed: GET .* answered 404/);
  expect(failed.headers.get('location')).toBe(`/api/v1/runs/${failed.body.id}`);
});

test('starting without wait answers 202; the run then shows each node, with stored outputs loaded unless resolve=false', async () => {
  const big = { items: Array.from({ length: 3000 }, (_, i) => ({ i, text: 'x'.repeat(100) })) };
  http.route('/big', (_req, res) => sendJson(res, 200, big));
  const graph: GraphInput = {
    nodes: [node('start', 'start'), node('fetch', 'http-request', { url: `${http.url}/big` }), node('count', 'set', { values: { first: '{{ nodes.fetch.output.body.items[1].i }}' } }), node('end', 'end')],
    edges: chain('start', 'fetch', 'count', 'end'),
  };
  const workflowId = await createPublishedWorkflow(api.services.orm, owner, greeting, graph);
  const started = await startRun(workflowId, { inputs: { topic: 'big' } });
  expect(started.status).toBe(202);
  expect(started.body).toEqual({
    id: expect.stringMatching(/^run-/),
    status: 'running',
    links: { self: `/api/v1/runs/${started.body.id}`, events: `/api/v1/runs/${started.body.id}/events`, temporalUi: expect.stringContaining(`/namespaces/default/workflows/${started.body.id}/`) },
  });
  expect(started.headers.get('location')).toBe(`/api/v1/runs/${started.body.id}`);

  const run = await runUntil(started.body.id, (r) => r.status === 'succeeded');
  expect(run).toMatchObject({ version: 2, result: { output: { first: 1 } }, temporal: { workflowId: started.body.id }, nodesUnavailable: null });
  expect(run.links.temporalUi).toBe(`http://localhost:8233/namespaces/default/workflows/${run.id}/${run.temporal.runId}/history`);
  const fetch = run.nodes.find((n: { id: string }) => n.id === 'fetch');
  expect(fetch).toMatchObject({ label: 'HTTP Request', type: 'http-request', status: 'succeeded', attempts: 1, branch: null, error: null, unresolved: null });
  expect(fetch.input.config.url).toBe(`${http.url}/big`);
  expect(fetch.output.body).toEqual(big);
  expect(run.nodes.find((n: { id: string }) => n.id === 'count').input.config).toEqual({ values: { first: 1 } });
  expect(Date.parse(fetch.endedAt)).toBeGreaterThanOrEqual(Date.parse(fetch.startedAt));
  expect(run.nodes.map((n: { id: string; status: string }) => `${n.id}:${n.status}`)).toEqual(['start:succeeded', 'fetch:succeeded', 'count:succeeded', 'end:succeeded']);

  const references = await getRun(run.id, '?resolve=false');
  const kept = references.body.nodes.find((n: { id: string }) => n.id === 'fetch').output;
  expect(kept).toEqual({ $kaiRef: expect.stringMatching(/^db:/), bytes: expect.any(Number) });
  const deferred = references.body.nodes.find((n: { id: string }) => n.id === 'count').input.config.values.first;
  expect(deferred).toEqual({ ...kept, path: ['body', 'items', 1, 'i'] });
  expect((await getRun(run.id, '?resolve=maybe')).status).toBe(400);
});

test('who may start and read runs: no published version is 409, viewers read only, other workspaces see nothing', async () => {
  const unpublished = await createPublishedWorkflow(api.services.orm, owner);
  const refused = await startRun(unpublished);
  expect(refused.status).toBe(409);
  expect(refused.body.error.message).toMatch(/no published version/);
  const invalid = await createPublishedWorkflow(api.services.orm, owner, {
    nodes: [node('start', 'start'), node('bad', 'set', { values: { x: '{{ nowhere.x }}' } })],
    edges: chain('start', 'bad'),
  });
  const runsBefore = (await api.request('GET', '/api/v1/runs', as(owner))).body.items.length;
  const notStarted = await startRun(invalid);
  expect(notStarted.status).toBe(400);
  expect(notStarted.body.error).toMatchObject({ code: 'invalid_graph', details: [{ nodeId: 'bad' }] });
  expect((await api.request('GET', '/api/v1/runs', as(owner))).body.items).toHaveLength(runsBefore);

  const workflowId = await createPublishedWorkflow(api.services.orm, owner, greeting);
  expect((await startRun(workflowId, { version: 7 })).status).toBe(404);
  expect((await startRun(workflowId, { wait: 61 })).body.error.details[0].path).toBe('body.wait');
  expect((await startRun(workflowId, { colour: 'red' })).status).toBe(400);

  const viewer = await api.signUp('viewer');
  await api.addMember(owner, viewer, 'viewer');
  const asViewer = { token: viewer.token, headers: { 'x-kai-workspace': owner.workspaceId } };
  const run = await startRun(workflowId, { wait: 20 });
  expect((await api.request('POST', `/api/v1/workflows/${workflowId}/runs`, { ...asViewer, body: {} })).status).toBe(403);
  expect((await api.request('GET', `/api/v1/runs/${run.body.id}`, asViewer)).body.status).toBe('succeeded');
  expect((await api.request('POST', `/api/v1/runs/${run.body.id}/rerun`, { ...asViewer, body: { fromNode: 'greet' } })).status).toBe(403);

  const stranger = await api.signUp('stranger');
  expect((await getRun(run.body.id, '', stranger)).status).toBe(404);
  expect((await startRun(workflowId, {}, stranger)).status).toBe(404);
  expect((await api.request('POST', `/api/v1/runs/${run.body.id}/cancel`, as(stranger))).status).toBe(404);
  expect((await api.request('GET', '/api/v1/runs', as(stranger))).body.items).toEqual([]);
  expect((await getRun('not-a-run-id')).status).toBe(400);
});

test('the run list filters by workflow, status, trigger and start time, and pages with a cursor', async () => {
  const lister = await api.signUp('lister');
  http.route('/nope', (_req, res) => sendJson(res, 404, {}));
  const good = await createPublishedWorkflow(api.services.orm, lister, greeting);
  const bad = await createPublishedWorkflow(api.services.orm, lister, failing('/nope'));
  const ids: string[] = [];
  for (const workflowId of [good, bad, good, bad, good]) ids.push((await startRun(workflowId, { wait: 20 }, lister)).body.id);
  const newestFirst = [...ids].reverse();
  const list = (query: string) => api.request('GET', `/api/v1/runs${query}`, as(lister));

  const pages: string[][] = [];
  let cursor: string | null = null;
  do {
    const page = await list(`?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    expect(page.status).toBe(200);
    pages.push(page.body.items.map((r: { id: string }) => r.id));
    cursor = page.body.nextCursor;
  } while (cursor);
  expect(pages.map((p) => p.length)).toEqual([2, 2, 1]);
  expect(pages.flat()).toEqual(newestFirst);

  const ofWorkflow = (await list(`?workflowId=${bad}`)).body.items;
  expect(ofWorkflow.map((r: { id: string }) => r.id)).toEqual([ids[3], ids[1]]);
  expect(ofWorkflow.every((r: { status: string; workflowId: string }) => r.status === 'failed' && r.workflowId === bad)).toBe(true);
  const badName = (await api.request('GET', `/api/v1/workflows/${bad}`, as(lister))).body.name;
  expect(ofWorkflow.map((r: { workflowName: string }) => r.workflowName)).toEqual([badName, badName]);
  expect((await list('?status=succeeded')).body.items.map((r: { id: string }) => r.id)).toEqual([ids[4], ids[2], ids[0]]);
  expect((await list('?trigger=api')).body.items).toHaveLength(5);
  expect((await list('?trigger=rerun')).body.items).toEqual([]);

  const third = (await list('')).body.items.find((r: { id: string }) => r.id === ids[2]);
  const after = (await list(`?startedAfter=${encodeURIComponent(third.startedAt)}`)).body.items.map((r: { id: string }) => r.id);
  expect(after).toEqual([ids[4], ids[3], ids[2]]);
  const before = (await list(`?startedBefore=${encodeURIComponent(third.startedAt)}`)).body.items.map((r: { id: string }) => r.id);
  expect(before).toEqual([ids[1], ids[0]]);

  // A run that finished unobserved: listing it is what brings its row up to date.
  const unwatched = (await startRun(good, {}, lister)).body.id;
  await api.temporal.client.workflow.getHandle(unwatched).result();
  expect((await list(`?workflowId=${good}&limit=1`)).body.items[0]).toMatchObject({ id: unwatched, status: 'succeeded', endedAt: expect.any(String) });

  expect((await list('?cursor=bogus')).body.error.details[0].path).toBe('query.cursor');
  expect((await list('?limit=201')).status).toBe(400);
  expect((await list('?startedAfter=yesterday')).status).toBe(400);
});

test('events stream over SSE; a client that disconnects and resumes with Last-Event-ID misses nothing; approval through the route', async () => {
  const workflowId = await createPublishedWorkflow(api.services.orm, owner, awaitingApproval);
  const started = await startRun(workflowId, { inputs: { name: 'v2' } });
  const runId = started.body.id;

  const first = await openEvents(runId);
  const before = await readUntil(first, (e) => e.event === 'node.waiting');
  first.close();
  expect(before.at(-1)?.data).toMatchObject({ type: 'node.waiting', nodeId: 'approve' });
  await until(() => api.logs.some((line) => line.includes('run event stream ended') && line.includes(runId) && line.includes('"clientGone":true')));

  const waiting = await runUntil(runId, waitingAt('approve'));
  expect(waiting.nodes.find((n: { id: string }) => n.id === 'approve')).toMatchObject({ status: 'waiting', message: 'ship v2?' });
  const approved = await api.request('POST', `/api/v1/runs/${runId}/nodes/approve/approve`, as(owner, { comment: 'looks good', data: { ticket: 7 } }));
  expect(approved.status).toBe(200);
  expect(approved.body).toEqual({ nodeId: 'approve', approved: true });

  const resumed = await openEvents(runId, { lastEventId: before.at(-1)?.id });
  const after = await readToEnd(resumed);
  expect(after.at(-1)?.event).toBe('run.succeeded');

  const seqs = [...before, ...after].map((e) => Number(e.id));
  const recorded = await api.temporal.client.workflow.getHandle(runId).query(runEventsQuery, 0);
  expect(seqs).toEqual(recorded.map((e: RunEvent) => e.seq));
  expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
  expect([...before, ...after].map((e) => e.event)).toEqual(recorded.map((e: RunEvent) => e.type));

  const run = await getRun(runId);
  expect(run.body.nodes.find((n: { id: string }) => n.id === 'approve').output).toEqual({ approved: true, timedOut: false, comment: 'looks good', data: { ticket: 7 }, by: owner.email });
  const again = await api.request('POST', `/api/v1/runs/${runId}/nodes/approve/reject`, as(owner));
  expect(again.status).toBe(409);

  const lastOnly = await readToEnd(await openEvents(runId, { query: `?lastEventId=${seqs.length - 1}` }));
  expect(lastOnly.map((e) => e.id)).toEqual([String(seqs.length)]);
  expect((await api.request('GET', `/api/v1/runs/${runId}/events`, { token: owner.token, headers: { 'last-event-id': 'banana' } })).status).toBe(400);
});

test('an approval the run refuses answers 409 with its reason', async () => {
  const workflowId = await createPublishedWorkflow(api.services.orm, owner, awaitingApproval);
  const { id } = (await startRun(workflowId)).body;
  await runUntil(id, waitingAt('approve'));
  const wrongNode = await api.request('POST', `/api/v1/runs/${id}/nodes/after/approve`, as(owner));
  expect(wrongNode.status).toBe(409);
  expect(wrongNode.body.error.message).toMatch(/no Approval node "after"/);
  const rejected = await api.request('POST', `/api/v1/runs/${id}/nodes/approve/reject`, as(owner, { comment: 'no' }));
  expect(rejected.body).toEqual({ nodeId: 'approve', approved: false });
  const run = await runUntil(id, (r) => r.status !== 'running');
  expect(run.nodes.find((n: { id: string }) => n.id === 'after').status).toBe('skipped');
});

test('retries show as node.retrying events with the attempt and the last failure, and the run lists every attempt', async () => {
  http.route('/wobbly', (_req, res, hit) => (hit < 3 ? sendJson(res, 503, { busy: true }) : sendJson(res, 200, { ok: true })));
  const graph: GraphInput = {
    nodes: [node('start', 'start'), node('call', 'http-request', { url: `${http.url}/wobbly` }, { retry: { maximumAttempts: 4, initialInterval: 1000, backoffCoefficient: 1 } }), node('end', 'end')],
    edges: chain('start', 'call', 'end'),
  };
  const { id } = (await startRun(await createPublishedWorkflow(api.services.orm, owner, graph))).body;
  const events = await readToEnd(await openEvents(id));
  const retries = events.filter((e) => e.event === 'node.retrying');
  expect(retries.map((e) => e.data.attempt)).toEqual([2, 3]);
  expect(retries[0].data).toMatchObject({ nodeId: 'call', lastFailure: { message: expect.stringMatching(/answered 503/), type: 'HttpServerError' } });
  // Announced by the failed attempts, stored with the run's live events: their ids carry the live cursor.
  expect(retries.map((e) => e.id)).toEqual([expect.stringMatching(/^\d+_\d+$/), expect.stringMatching(/^\d+_\d+$/)]);
  expect(events.filter((e) => e.event === 'node.live' && e.data.type === 'node.attempt').map((e) => e.data.attempt)).toEqual([1, 2, 3]);
  const order = events.map((e) => Number.parseInt(e.id, 10));
  expect(order).toEqual([...order].sort((a, b) => a - b));
  expect(events.at(-1)?.event).toBe('run.succeeded');
  // Between the node's start and its success, as they happened; a replay of the finished run sends the same.
  const names = events.filter((e) => e.event !== 'node.live').map((e) => `${e.event}${e.data.nodeId ? `:${e.data.nodeId}` : ''}`);
  expect(names.slice(names.indexOf('node.started:call'), names.indexOf('node.succeeded:call') + 1)).toEqual(['node.started:call', 'node.retrying:call', 'node.retrying:call', 'node.succeeded:call']);
  expect(await readToEnd(await openEvents(id))).toEqual(events);

  const nodes: { id: string; attemptLog?: unknown[] }[] = (await getRun(id)).body.nodes;
  const failed = { status: 'failed', durationMs: expect.any(Number), endedAt: expect.any(String), error: { message: expect.stringMatching(/answered 503/), type: 'HttpServerError' } };
  expect(nodes.find((n) => n.id === 'call')?.attemptLog).toEqual([
    { attempt: 1, ...failed },
    { attempt: 2, ...failed },
    { attempt: 3, status: 'succeeded', durationMs: expect.any(Number), endedAt: expect.any(String), error: null },
  ]);
  expect(nodes.find((n) => n.id === 'start')?.attemptLog).toBeUndefined();
});

test('cancel stops a waiting run, which then reads cancelled; its event stream ends with run.cancelled', async () => {
  const { id } = (await startRun(await createPublishedWorkflow(api.services.orm, owner, awaitingApproval))).body;
  await runUntil(id, waitingAt('approve'));
  const cancelled = await api.request('POST', `/api/v1/runs/${id}/cancel`, as(owner));
  expect(cancelled.status).toBe(202);
  const run = await runUntil(id, (r) => r.status !== 'running');
  expect(run.status).toBe('cancelled');
  expect(run.endedAt).not.toBeNull();
  expect((await api.request('POST', `/api/v1/runs/${id}/cancel`, as(owner))).status).toBe(409);
  const events = await readToEnd(await openEvents(id));
  expect(events.at(-1)).toMatchObject({ event: 'run.cancelled', id: expect.stringMatching(/^\d+\.run\.cancelled$/) });
});

test('terminate stops a run at once, with the reason as its error', async () => {
  const { id } = (await startRun(await createPublishedWorkflow(api.services.orm, owner, awaitingApproval))).body;
  await runUntil(id, waitingAt('approve'));
  const terminated = await api.request('POST', `/api/v1/runs/${id}/terminate`, as(owner, { reason: 'wrong inputs' }));
  expect(terminated.status).toBe(200);
  expect(terminated.body).toMatchObject({ status: 'terminated', error: 'wrong inputs' });
  expect((await api.request('POST', `/api/v1/runs/${id}/nodes/approve/approve`, as(owner))).status).toBe(409);
});

test('a re-run from a failed node repeats none of the upstream side effects', async () => {
  let flakyFixed = false;
  http.route('/pay', (_req, res) => sendJson(res, 200, { paid: 42 }));
  http.route('/flaky', (_req, res) => (flakyFixed ? sendJson(res, 200, { shipped: true }) : sendJson(res, 404, { error: 'not yet' })));
  const graph: GraphInput = {
    nodes: [
      node('start', 'start'),
      node('pay', 'http-request', { url: `${http.url}/pay`, method: 'POST', body: { type: 'json', content: { order: '{{ input.order }}' } } }),
      node('flaky', 'http-request', { url: `${http.url}/flaky`, query: { paid: '{{ nodes.pay.output.body.paid }}' } }),
      node('end', 'end', { value: { paid: '{{ nodes.pay.output.body.paid }}', shipped: '{{ nodes.flaky.output.body.shipped }}' } }),
    ],
    edges: chain('start', 'pay', 'flaky', 'end'),
  };
  const workflowId = await createPublishedWorkflow(api.services.orm, owner, graph);
  const first = await startRun(workflowId, { inputs: { order: 'A-1' }, wait: 20 });
  expect(first.body).toMatchObject({ status: 'failed' });
  expect(http.hits('/pay')).toBe(1);

  const unknownNode = await api.request('POST', `/api/v1/runs/${first.body.id}/rerun`, as(owner, { fromNode: 'nowhere' }));
  expect(unknownNode.status).toBe(400);
  expect(unknownNode.body.error.details).toEqual([{ path: 'body.fromNode', message: expect.stringContaining('no node "nowhere"') }]);

  flakyFixed = true;
  const rerun = await api.request('POST', `/api/v1/runs/${first.body.id}/rerun`, as(owner, { fromNode: 'flaky' }));
  expect(rerun.status).toBe(202);
  expect(rerun.headers.get('location')).toBe(`/api/v1/runs/${rerun.body.id}`);
  const done = await runUntil(rerun.body.id, (r) => r.status !== 'running');
  expect(done).toMatchObject({ status: 'succeeded', trigger: 'rerun', rerunOf: first.body.id, rerunFromNode: 'flaky', version: 1, inputs: { order: 'A-1' }, result: { output: { paid: 42, shipped: true } } });
  expect(http.hits('/pay')).toBe(1);
  expect(http.hits('/flaky')).toBe(2);
  const byId = Object.fromEntries(done.nodes.map((n: { id: string }) => [n.id, n]));
  expect(byId.pay).toMatchObject({ status: 'succeeded', reusedFrom: first.body.id, output: { body: { paid: 42 } } });
  expect(byId.flaky).toMatchObject({ status: 'succeeded', reusedFrom: null, attempts: 1 });
  expect((await api.request('GET', '/api/v1/runs?trigger=rerun', as(owner))).body.items.map((r: { id: string }) => r.id)).toContain(rerun.body.id);
});

test('a re-run needs the earlier run to have recorded what the starting node depends on, and to have finished', async () => {
  http.route('/pay-fails', (_req, res) => sendJson(res, 404, {}));
  const graph: GraphInput = {
    nodes: [node('start', 'start'), node('pay', 'http-request', { url: `${http.url}/pay-fails` }), node('ship', 'set', { values: { ok: true } }), node('end', 'end')],
    edges: chain('start', 'pay', 'ship', 'end'),
  };
  const failed = await startRun(await createPublishedWorkflow(api.services.orm, owner, graph), { wait: 20 });
  const refused = await api.request('POST', `/api/v1/runs/${failed.body.id}/rerun`, as(owner, { fromNode: 'ship' }));
  expect(refused.status).toBe(409);
  expect(refused.body.error.message).toMatch(/did not record an outcome .*pay \(failed\)/);

  const { id } = (await startRun(await createPublishedWorkflow(api.services.orm, owner, awaitingApproval))).body;
  const stillRunning = await api.request('POST', `/api/v1/runs/${id}/rerun`, as(owner, { fromNode: 'after' }));
  expect(stillRunning.status).toBe(409);
  expect(stillRunning.body.error.message).toMatch(/still running/);
  await api.request('POST', `/api/v1/runs/${id}/terminate`, as(owner));
});

test('a finished run no worker can replay is answered from the index, saying why its nodes are missing', async () => {
  const elsewhere = await createTemporalHarness();
  const workflowId = await createPublishedWorkflow(api.services.orm, owner, greeting);
  let runId: string;
  try {
    const handle = await elsewhere.start(greeting, { name: 'Bo' });
    await handle.result();
    runId = handle.workflowId;
    const em = api.services.orm.em.fork();
    const version = await em.findOneOrFail(WorkflowVersion, { workflow: workflowId, number: 1 });
    em.create(Run, { id: runId, workspace: owner.workspaceId, workflow: workflowId, version, versionNumber: 1, trigger: 'cli', temporalRunId: (await handle.describe()).runId, status: 'running', inputs: { name: 'Bo' } });
    await em.flush();
  } finally {
    await elsewhere.close();
  }
  const run = await getRun(runId);
  expect(run.status).toBe(200);
  // Which of the two Temporal says depends on its sticky-queue bookkeeping for the worker that just left.
  expect(run.body).toMatchObject({ status: 'succeeded', result: { output: { text: 'hi Bo' } }, nodes: null, nodesUnavailable: expect.stringMatching(/^(no worker answered|Temporal did not answer)/) });
});
