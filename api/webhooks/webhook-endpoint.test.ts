import { randomBytes } from 'node:crypto';
import { planRun } from '../../activities/plan-run';
import type { RunResult } from '../../engine/run-state';
import { Run, WebhookDelivery } from '../../db/entities';
import type { ApiHarness, TestAccount } from '../../test/api-harness';
import { startApiWithHttpFixture } from '../../test/api-with-http-fixture';
import { sendJson, type HttpFixture } from '../../test/http-fixture';
import { echoGraph, publishGraph, signDelivery } from '../../test/webhook-fixture';
import { runIdSchema } from '../../contract/runs';
import { runIdForKey } from './start-delivery-run';
import { waitFor } from '../../test/wait-for';

let api: ApiHarness;
let http: HttpFixture;
let owner: TestAccount;

beforeAll(async () => {
  ({ api, http, owner } = await startApiWithHttpFixture({ ownerName: 'hooks', runsFailOnPurpose: true }));
}, 120_000);
afterAll(async () => {
  await Promise.all([api?.close(), http?.close()]);
});

interface Delivery {
  status: number;
  headers: Headers;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read answers by path
  body: any;
  text: string;
}

/** Every answer the endpoint gave, to check that none carries a secret. */
const answers: string[] = [];

async function deliver(hookId: string, init: { method?: string; headers?: Record<string, string>; body?: string | ReadableStream<Uint8Array>; json?: unknown } = {}): Promise<Delivery> {
  const headers = { ...init.headers };
  let body = init.body;
  if (init.json !== undefined) {
    body = JSON.stringify(init.json);
    headers['content-type'] ??= 'application/json';
  }
  const response = await fetch(`${api.url}/api/webhooks/${hookId}`, { method: init.method ?? 'POST', headers, body, duplex: 'half' } as RequestInit);
  const text = await response.text();
  answers.push(text);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = text;
  }
  return { status: response.status, headers: response.headers, body: parsed, text };
}

const bearer = (secret: string) => ({ authorization: `Bearer ${secret}` });

async function publish(config: Record<string, unknown>, end: Record<string, unknown> = {}) {
  const published = await publishGraph(api.services, owner, echoGraph(config, end));
  return { ...published.hooks.hook, workflowId: published.workflowId };
}

async function resultOf(runId: string): Promise<RunResult> {
  return api.temporal.client.workflow.getHandle(runId).result();
}

/** Temporal executions under a workflow id; polled, since visibility catches up with a start after a moment. */
async function executionsOf(runId: string): Promise<number> {
  let count = 0;
  for (let attempt = 0; attempt < 50 && count === 0; attempt++) {
    if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 100));
    count = (await api.temporal.client.workflow.count(`WorkflowId = '${runId}'`)).count;
  }
  return count;
}

/** The hook's delivery rows, once `count` are there: each is written after its answer has gone out. */
async function deliveriesOf(hookId: string, count: number): Promise<WebhookDelivery[]> {
  let rows: WebhookDelivery[] = [];
  await waitFor(`${count} delivery rows of ${hookId}`, async () => {
    rows = await api.services.orm.em.fork().find(WebhookDelivery, { webhook: hookId }, { orderBy: { receivedAt: 'asc' } });
    return rows.length >= count;
  });
  return rows;
}

test('a delivery with the right Bearer token is answered 202 once its run exists, and the run gets the delivery', async () => {
  const hook = await publish({ authMode: 'token' });
  const payload = { event: 'push', n: 1 };

  const answer = await deliver(`${hook.id}?source=ci&tag=a&tag=b`, { json: payload, headers: { ...bearer(hook.secret), 'x-event': 'push' } });
  expect(answer.status).toBe(202);
  expect(answer.body).toEqual({ runId: expect.stringMatching(/^run-/) });
  const runId: string = answer.body.runId;

  const result = await resultOf(runId);
  expect(result.output).toMatchObject({ body: payload, method: 'POST', query: { source: 'ci', tag: ['a', 'b'] }, headers: { 'x-event': 'push' } });
  expect((result.output as { headers: Record<string, string> }).headers).not.toHaveProperty('authorization');

  const row = await api.services.orm.em.fork().findOneOrFail(Run, runId);
  expect(row).toMatchObject({ trigger: 'webhook', versionNumber: 1 });
  expect(row.workflow.id).toBe(hook.workflowId);
  expect(row.inputs).toMatchObject({ body: payload });
  expect(JSON.stringify(row.inputs)).not.toContain(hook.secret);

  const [delivery] = await deliveriesOf(hook.id, 1);
  expect(delivery).toMatchObject({ status: 202, runId, method: 'POST', error: null });
});

test('a token in a named header works; unknown, disabled and wrongly authenticated deliveries get one identical 401', async () => {
  const hook = await publish({ authMode: 'token', tokenHeader: 'X-Hook-Token' });
  const disabled = await publish({ authMode: 'token' });
  const patched = await api.request('PATCH', `/api/v1/webhooks/${disabled.id}`, { token: owner.token, body: { enabled: false } });
  expect(patched.status).toBe(200);

  expect((await deliver(hook.id, { json: {}, headers: { 'x-hook-token': hook.secret } })).status).toBe(202);

  const refusals = [
    await deliver(hook.id, { json: {} }),
    await deliver(hook.id, { json: {}, headers: { 'x-hook-token': `${hook.secret}x` } }),
    await deliver(hook.id, { json: {}, headers: bearer(hook.secret) }),
    await deliver(disabled.id, { json: {}, headers: bearer(disabled.secret) }),
    await deliver(`wh_${randomBytes(32).toString('base64url')}`, { json: {}, headers: bearer(hook.secret) }),
    await deliver('not-a-webhook-id', { json: {} }),
    await deliver(hook.id, { method: 'GET' }),
  ];
  const shapeOf = (answer: Delivery) => ({ status: answer.status, text: answer.text, type: answer.headers.get('content-type'), auth: answer.headers.get('www-authenticate') });
  for (const refusal of refusals) expect(shapeOf(refusal)).toEqual(shapeOf(refusals[0]));
  expect(refusals[0].status).toBe(401);

  const recorded = await deliveriesOf(hook.id, 5);
  expect(recorded.map((d) => d.status)).toEqual([202, 401, 401, 401, 401]);
  expect(recorded[1].error).toMatch(/no token/);
  expect(recorded[2].error).toBe('wrong token');
});

test('HMAC: a signature of "<timestamp>.<raw body>" is accepted; a wrong, missing, stale or body-only signature is 401', async () => {
  const hook = await publish({ authMode: 'hmac', signatureHeader: 'X-Signature', timestampHeader: 'X-Timestamp', toleranceSeconds: 60 });
  // Sent as is: the signature covers these exact bytes, spacing included.
  const body = '{ "order": 7,  "total": 12.5 }';
  const now = Math.floor(Date.now() / 1000);
  const signed = (signature: string, timestamp: number | string = now) => ({ 'content-type': 'application/json', 'x-signature': signature, 'x-timestamp': String(timestamp) });

  const accepted = await deliver(hook.id, { body, headers: signed(signDelivery(hook.secret, body, now)) });
  expect(accepted.status).toBe(202);
  expect((await resultOf(accepted.body.runId)).output).toMatchObject({ body: { order: 7, total: 12.5 } });

  // An hour old, so the skew the refusal reports stays in the 3600s however long the deliveries before it take.
  const stale = now - 3600;
  const refused = [
    await deliver(hook.id, { body, headers: signed(signDelivery('another secret', body, now)) }),
    await deliver(hook.id, { body: body.replace('7', '8'), headers: signed(signDelivery(hook.secret, body, now)) }),
    await deliver(hook.id, { body, headers: { 'content-type': 'application/json', 'x-timestamp': String(now) } }),
    await deliver(hook.id, { body, headers: signed(signDelivery(hook.secret, body, stale), stale) }),
    await deliver(hook.id, { body, headers: signed(signDelivery(hook.secret, body)) }),
    await deliver(hook.id, { body, headers: signed(signDelivery(hook.secret, body, now), 'yesterday') }),
  ];
  expect(refused.map((answer) => answer.status)).toEqual([401, 401, 401, 401, 401, 401]);
  const reasons = (await deliveriesOf(hook.id, 7)).map((d) => d.error);
  expect(reasons).toEqual([null, 'wrong signature', 'wrong signature', expect.stringMatching(/no sha256/), expect.stringMatching(/36\d\d s from now; at most 60 s/), 'wrong signature', expect.stringMatching(/no Unix timestamp/)]);
});

test('after a rotation the old secret works until the overlap ends; a rotation without overlap ends it at once', async () => {
  const hook = await publish({ authMode: 'hmac' });
  const body = '{"n":1}';
  const send = (secret: string) => deliver(hook.id, { body, headers: { 'content-type': 'application/json', 'x-kai-signature': signDelivery(secret, body) } });

  const rotated = await api.request('POST', `/api/v1/webhooks/${hook.id}/rotate`, { token: owner.token, body: { overlapSeconds: 3600 } });
  expect(rotated.status).toBe(200);
  const fresh: string = rotated.body.secret;
  expect(fresh).not.toBe(hook.secret);
  expect((await send(hook.secret)).status).toBe(202);
  expect((await send(fresh)).status).toBe(202);

  const again = await api.request('POST', `/api/v1/webhooks/${hook.id}/rotate`, { token: owner.token, body: { overlapSeconds: 0 } });
  expect(again.body.previousSecretExpiresAt).toBeNull();
  expect((await send(fresh)).status).toBe(401);
  expect((await send(hook.secret)).status).toBe(401);
  expect((await send(again.body.secret)).status).toBe(202);
});

test('an IP allowlist admits only senders in its ranges, refusing others like bad credentials', async () => {
  const elsewhere = await publish({ authMode: 'none', ipAllowlist: ['10.0.0.0/8', '2001:db8::/32'] });
  const loopback = await publish({ authMode: 'none', ipAllowlist: ['10.0.0.0/8', '127.0.0.0/8'] });

  const refused = await deliver(elsewhere.id, { json: {} });
  expect(refused.status).toBe(401);
  expect(refused.text).toBe((await deliver(elsewhere.id.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')), { json: {} })).text);
  expect((await deliver(loopback.id, { json: {} })).status).toBe(202);
});

test('a body over the limit is refused with 413, whether announced by Content-Length or streamed in chunks', async () => {
  const hook = await publish({ authMode: 'token', maxBodyBytes: 1024 });
  const big = JSON.stringify({ data: 'x'.repeat(5000) });

  const announced = await deliver(hook.id, { body: big, headers: { ...bearer(hook.secret), 'content-type': 'application/json' } });
  expect(announced.status).toBe(413);
  expect(announced.body.error.code).toBe('payload_too_large');

  // A stream that would never end on its own: the endpoint must answer after the limit without reading the rest.
  let sent = 0;
  const endless = new ReadableStream<Uint8Array>({
    pull(controller) {
      sent += 512;
      controller.enqueue(new TextEncoder().encode('x'.repeat(512)));
    },
  });
  const streamed = await deliver(hook.id, { body: endless, headers: { ...bearer(hook.secret), 'content-type': 'application/json' } });
  expect(streamed.status).toBe(413);
  expect(sent).toBeLessThan(10 * 1024 * 1024);

  expect((await deliver(hook.id, { json: { data: 'small' }, headers: bearer(hook.secret) })).status).toBe(202);
});

test('over the rate limit a delivery is refused with 429 and Retry-After', async () => {
  const hook = await publish({ authMode: 'token', rateLimitPerMinute: 3 });
  const statuses: number[] = [];
  let last: Delivery | undefined;
  for (let i = 0; i < 4; i++) {
    last = await deliver(hook.id, { json: { i }, headers: bearer(hook.secret) });
    statuses.push(last.status);
  }
  expect(statuses).toEqual([202, 202, 202, 429]);
  expect(Number(last?.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  // Refused credentials take nothing from the sender's allowance, so nobody can exhaust it for them.
  const other = await publish({ authMode: 'token', rateLimitPerMinute: 1 });
  for (let i = 0; i < 3; i++) expect((await deliver(other.id, { json: {} })).status).toBe(401);
  expect((await deliver(other.id, { json: {}, headers: bearer(other.secret) })).status).toBe(202);
});

test('methods and media types outside the hook settings are 405 and 415; form bodies arrive as objects', async () => {
  const hook = await publish({ authMode: 'token', allowedMethods: ['POST', 'PUT'], allowedContentTypes: ['application/json', 'application/x-www-form-urlencoded'] });
  const get = await deliver(hook.id, { method: 'GET', headers: bearer(hook.secret) });
  expect(get.status).toBe(405);
  expect(get.headers.get('allow')).toBe('POST, PUT');
  expect((await deliver(hook.id, { method: 'PUT', json: {}, headers: bearer(hook.secret) })).status).toBe(202);

  const text = await deliver(hook.id, { body: 'hello', headers: { ...bearer(hook.secret), 'content-type': 'text/plain' } });
  expect(text.status).toBe(415);
  const gzip = await deliver(hook.id, { body: 'x', headers: { ...bearer(hook.secret), 'content-type': 'application/json', 'content-encoding': 'gzip' } });
  expect(gzip.status).toBe(415);

  const form = await deliver(hook.id, { body: 'a=1&b=two', headers: { ...bearer(hook.secret), 'content-type': 'application/x-www-form-urlencoded' } });
  expect(form.status).toBe(202);
  expect((await resultOf(form.body.runId)).output).toMatchObject({ body: { a: '1', b: 'two' } });

  const broken = await deliver(hook.id, { body: '{"a":', headers: { ...bearer(hook.secret), 'content-type': 'application/json' } });
  expect(broken.status).toBe(400);
  const nul = await deliver(hook.id, { json: { a: 'x\u0000y' }, headers: bearer(hook.secret) });
  expect(nul.status).toBe(400);
});

test('the same Idempotency-Key twice gives one run, and both answers name it', async () => {
  const hook = await publish({ authMode: 'token' });
  const key = `evt-${randomBytes(4).toString('hex')}`;
  const first = await deliver(hook.id, { json: { attempt: 1 }, headers: { ...bearer(hook.secret), 'idempotency-key': key } });
  expect(first.status).toBe(202);
  await resultOf(first.body.runId);
  // The first run has closed by now: REJECT_DUPLICATE still refuses a second one under its id.
  const second = await deliver(hook.id, { json: { attempt: 2 }, headers: { ...bearer(hook.secret), 'idempotency-key': key } });
  expect(second.status).toBe(202);
  expect(second.body.runId).toBe(first.body.runId);
  expect(second.headers.get('idempotent-replayed')).toBe('true');
  expect(first.headers.get('idempotent-replayed')).toBeNull();

  expect(await executionsOf(first.body.runId)).toBe(1);
  expect(await api.services.orm.em.fork().count(Run, { id: first.body.runId })).toBe(1);
  expect((await resultOf(first.body.runId)).output).toMatchObject({ body: { attempt: 1 } });
  const recorded = await deliveriesOf(hook.id, 2);
  expect(recorded.map((d) => [d.runId, d.idempotencyKey])).toEqual([
    [first.body.runId, key],
    [first.body.runId, key],
  ]);

  const other = await deliver(hook.id, { json: {}, headers: { ...bearer(hook.secret), 'idempotency-key': `${key}-other` } });
  expect(other.body.runId).not.toBe(first.body.runId);
});

test('a retry after a crash between the start and the Run row finds the run and writes the missing row', async () => {
  const hook = await publish({ authMode: 'token' });
  const key = `crashed-${randomBytes(4).toString('hex')}`;
  // What a process killed right after Temporal accepted the start leaves behind: the run, and no row.
  const orphan = await api.temporal.client.workflow.start('interpretGraph', {
    taskQueue: api.temporal.taskQueue,
    workflowId: runIdForKey(hook.id, key),
    args: [{ plan: planRun(echoGraph()), inputs: { body: { first: true } }, meta: { trigger: 'webhook' } }],
  });
  await orphan.result();

  const retry = await deliver(hook.id, { json: { first: false }, headers: { ...bearer(hook.secret), 'idempotency-key': key } });
  expect(retry.status).toBe(202);
  expect(retry.body.runId).toBe(orphan.workflowId);
  expect(retry.headers.get('idempotent-replayed')).toBe('true');
  const row = await api.services.orm.em.fork().findOneOrFail(Run, orphan.workflowId);
  expect(row).toMatchObject({ trigger: 'webhook', temporalRunId: orphan.firstExecutionRunId });
  expect(await executionsOf(orphan.workflowId)).toBe(1);
});

test('a configured body field deduplicates like the header', async () => {
  const hook = await publish({ authMode: 'token', idempotencyField: 'event.id' });
  const send = (id: string | number) => deliver(hook.id, { json: { event: { id } }, headers: bearer(hook.secret) });
  const [a, b, c] = [await send(42), await send(42), await send(43)];
  expect(a.body.runId).toBe(b.body.runId);
  expect(c.body.runId).not.toBe(a.body.runId);
});

test('run ids derived from keys are run-<uuid>, stable per key and distinct per hook', () => {
  const id = runIdForKey('wh_a', 'key-1');
  expect(runIdSchema.safeParse(id).success).toBe(true);
  expect(id).toMatch(/^run-[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  expect(runIdForKey('wh_a', 'key-1')).toBe(id);
  expect(runIdForKey('wh_b', 'key-1')).not.toBe(id);
  expect(runIdForKey('wh_a', 'key-2')).not.toBe(id);
});

test('sync mode answers with the End output, status and headers; a slow run falls back to 202 with its id', async () => {
  const hook = await publish(
    { authMode: 'token', responseMode: 'sync' },
    { value: { greeting: 'hello {{ input.body.name }}' }, response: { status: 201, headers: { 'x-answered-by': 'end', 'content-length': '1' } } },
  );
  const answer = await deliver(hook.id, { json: { name: 'Ada' }, headers: bearer(hook.secret) });
  expect(answer.status).toBe(201);
  expect(answer.body).toEqual({ greeting: 'hello Ada' });
  expect(answer.headers.get('x-answered-by')).toBe('end');
  // The answered result settles the run's row with the delivery's, without asking Temporal again (no reconciler runs here).
  const [delivery] = await deliveriesOf(hook.id, 1);
  const row = await api.services.orm.em.fork().findOneOrFail(Run, delivery.runId as string);
  expect(row).toMatchObject({ status: 'succeeded', error: null, result: await resultOf(row.id) });
  expect(row.endedAt).toBeInstanceOf(Date);

  // The run waits on a request the test answers only after the delivery's answer: only the sync timeout can end
  // the wait, so a 202 proves the fallback (an endpoint that waited for the run would hang here).
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  http.route('/held', async (_request, response) => {
    await released;
    sendJson(response, 200, {});
  });
  const slow = await publishGraph(api.services, owner, {
    nodes: [
      { id: 'hook', type: 'webhook', version: 1, data: { config: { authMode: 'token', responseMode: 'sync', syncTimeout: '300ms' } } },
      { id: 'wait', type: 'http-request', version: 1, data: { config: { url: `${http.url}/held` } } },
      { id: 'end', type: 'end', version: 1, data: { config: { value: '{{ input }}' } } },
    ],
    edges: [
      { id: 'hook-wait', source: 'hook', target: 'wait' },
      { id: 'wait-end', source: 'wait', target: 'end' },
    ],
  });
  const pending = await deliver(slow.hooks.hook.id, { json: { n: 1 }, headers: bearer(slow.hooks.hook.secret) });
  release();
  expect(pending.status).toBe(202);
  expect((await resultOf(pending.body.runId)).output).toMatchObject({ body: { n: 1 } });
});

test('sync mode answers with an output too large to travel inline, loaded from the output store', async () => {
  const { hooks } = await publishGraph(api.services, owner, {
    nodes: [
      { id: 'hook', type: 'webhook', version: 1, data: { config: { authMode: 'token', responseMode: 'sync', maxBodyBytes: 2 * 1024 * 1024 } } },
      { id: 'big', type: 'set', version: 1, data: { config: { values: { text: '{{ input.body.text }}' } } } },
      { id: 'end', type: 'end', version: 1, data: { config: { value: '{{ nodes.big.output }}' } } },
    ],
    edges: [
      { id: 'hook-big', source: 'hook', target: 'big' },
      { id: 'big-end', source: 'big', target: 'end' },
    ],
  });
  const text = 'x'.repeat(300 * 1024);
  const answer = await deliver(hooks.hook.id, { json: { text }, headers: bearer(hooks.hook.secret) });
  expect(answer.status).toBe(200);
  expect(answer.body).toEqual({ text });
  // The run's own result holds the reference, which is what the answer had to load.
  const runId = (await deliveriesOf(hooks.hook.id, 1)).at(-1)?.runId as string;
  expect((await resultOf(runId)).output).toMatchObject({ $kaiRef: expect.any(String) });
});

test('sync mode answers 502 with the run id when the run fails', async () => {
  http.route('/broken', (_request, response) => sendJson(response, 500, { error: 'down' }));
  const failing = await publishGraph(api.services, owner, {
    nodes: [
      { id: 'hook', type: 'webhook', version: 1, data: { config: { authMode: 'token', responseMode: 'sync' } } },
      { id: 'call', type: 'http-request', version: 1, data: { config: { url: `${http.url}/broken` }, retry: { maximumAttempts: 1 } } },
      { id: 'end', type: 'end', version: 1 },
    ],
    edges: [
      { id: 'hook-call', source: 'hook', target: 'call' },
      { id: 'call-end', source: 'call', target: 'end' },
    ],
  });
  const answer = await deliver(failing.hooks.hook.id, { json: {}, headers: bearer(failing.hooks.hook.secret) });
  expect(answer.status).toBe(502);
  expect(answer.body).toMatchObject({ error: { code: 'run_failed' }, runId: expect.stringMatching(/^run-/) });
  const [delivery] = await deliveriesOf(failing.hooks.hook.id, 1);
  expect(delivery).toMatchObject({ status: 502, runId: answer.body.runId, error: expect.stringMatching(/^the run failed/) });
});

test('no answer and no log line carries a secret or a webhook id', async () => {
  const hook = await publish({ authMode: 'token' });
  await deliver(hook.id, { json: {}, headers: bearer('wrong') });
  await deliver(hook.id, { json: {}, headers: bearer(hook.secret) });
  const hooks = await api.request('GET', '/api/v1/webhooks', { token: owner.token });
  for (const listed of hooks.body as { id: string }[]) {
    for (const line of api.logs) expect(line).not.toContain(listed.id);
  }
  for (const answer of answers) expect(answer).not.toContain(hook.secret);
  for (const line of api.logs) expect(line).not.toContain(hook.secret);
});
