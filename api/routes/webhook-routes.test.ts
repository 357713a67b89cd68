import pino from 'pino';
import { WebhookDelivery } from '../../db/entities';
import { createApiHarness, type ApiHarness, type RequestOptions, type TestAccount } from '../../test/api-harness';
import { echoGraph, publishGraph, storedWebhook } from '../../test/webhook-fixture';
import { pruneDeliveries, startDeliveryRetention } from '../webhooks/delivery-retention';

let api: ApiHarness;
let owner: TestAccount;
let as: RequestOptions;

beforeAll(async () => {
  api = await createApiHarness();
  owner = await api.signUp('hooks');
  as = { token: owner.token };
}, 120_000);
afterAll(async () => {
  await api?.close();
});

async function addMember(role: 'editor' | 'viewer'): Promise<RequestOptions> {
  const member = await api.signUp(role);
  await api.addMember(owner, member, role);
  return { token: member.token, headers: { 'x-kai-workspace': owner.workspaceId } };
}

function twoHookGraph(first: Record<string, unknown>, second?: Record<string, unknown>) {
  const graph = echoGraph(first);
  if (!second) return graph;
  return {
    nodes: [...graph.nodes, { id: 'other', type: 'webhook', version: 1, data: { config: second } }],
    edges: [...(graph.edges ?? []), { id: 'other-end', source: 'other', target: 'end' }],
  };
}

async function addDeliveries(webhookId: string, receivedAt: Date[]): Promise<void> {
  const em = api.services.orm.em.fork();
  for (const at of receivedAt) em.create(WebhookDelivery, { webhook: webhookId, receivedAt: at, method: 'POST', status: 202, latencyMs: 5 });
  await em.flush();
}

test('publishing creates an endpoint per Webhook node from its settings; later versions keep id and secret', async () => {
  const v1 = await publishGraph(api.services, owner, twoHookGraph({ authMode: 'token', tokenHeader: 'X-Token', syncTimeout: '10s', rateLimitPerMinute: 60 }, { authMode: 'hmac' }));
  const { hook, other } = v1.hooks;
  expect(hook.id).toMatch(/^wh_[A-Za-z0-9_-]{43}$/);
  expect(hook.secret).not.toBe(other.secret);

  const listed = await api.request('GET', `/api/v1/webhooks?workflowId=${v1.workflowId}`, as);
  expect(listed.status).toBe(200);
  expect(listed.body).toHaveLength(2);
  const first = await api.request('GET', `/api/v1/webhooks/${hook.id}`, as);
  expect(first.body).toMatchObject({
    id: hook.id,
    url: `${api.url}/api/webhooks/${hook.id}`,
    workflowId: v1.workflowId,
    nodeId: 'hook',
    version: 1,
    enabled: true,
    authMode: 'token',
    tokenHeader: 'x-token',
    syncTimeoutMs: 10_000,
    rateLimitPerMinute: 60,
    maxBodyBytes: 1024 * 1024,
    allowedMethods: ['POST'],
    previousSecretExpiresAt: null,
  });
  expect(first.text).not.toContain(hook.secret);

  // A setting changed through the API survives publishing; one changed on the node since the last version wins.
  expect((await api.request('PATCH', `/api/v1/webhooks/${hook.id}`, { ...as, body: { maxBodyBytes: 2048, rateLimitPerMinute: 5 } })).status).toBe(200);
  const v2 = await publishGraph(api.services, owner, twoHookGraph({ authMode: 'token', tokenHeader: 'X-Token', syncTimeout: '10s', rateLimitPerMinute: 120 }), v1.workflowId);
  expect(v2.hooks.hook).toEqual(hook);
  expect((await api.request('GET', `/api/v1/webhooks/${hook.id}`, as)).body).toMatchObject({ version: 2, maxBodyBytes: 2048, rateLimitPerMinute: 120 });

  const removed = await storedWebhook(api.services, other.id);
  expect(removed.enabled).toBe(false);
  expect(removed.version.getEntity().number).toBe(1);

  const v3 = await publishGraph(api.services, owner, twoHookGraph({ authMode: 'token' }, { authMode: 'hmac' }), v1.workflowId);
  expect(v3.hooks.other).toEqual(other);
  const back = await storedWebhook(api.services, other.id);
  expect(back.version.getEntity().number).toBe(3);
  expect(back.enabled).toBe(false);
});

test('viewers read settings and deliveries but neither secrets nor changes; other workspaces see nothing', async () => {
  const { hooks } = await publishGraph(api.services, owner, echoGraph({ authMode: 'token' }));
  const id = hooks.hook.id;
  const viewer = await addMember('viewer');
  const editor = await addMember('editor');
  const stranger = await api.signUp('stranger');

  expect((await api.request('GET', `/api/v1/webhooks/${id}`, viewer)).status).toBe(200);
  expect((await api.request('GET', `/api/v1/webhooks/${id}/deliveries`, viewer)).status).toBe(200);
  expect((await api.request('GET', `/api/v1/webhooks/${id}/secret`, viewer)).status).toBe(403);
  expect((await api.request('PATCH', `/api/v1/webhooks/${id}`, { ...viewer, body: { enabled: false } })).status).toBe(403);
  expect((await api.request('POST', `/api/v1/webhooks/${id}/rotate`, { ...viewer, body: {} })).status).toBe(403);

  const revealed = await api.request('GET', `/api/v1/webhooks/${id}/secret`, editor);
  expect(revealed.body).toEqual({ secret: hooks.hook.secret, previousSecretExpiresAt: null });

  const theirs = { token: stranger.token };
  for (const [method, path, body] of [
    ['GET', '', undefined],
    ['PATCH', '', { enabled: false }],
    ['GET', '/secret', undefined],
    ['POST', '/rotate', {}],
    ['GET', '/deliveries', undefined],
  ] as const) {
    const answer = await api.request(method, `/api/v1/webhooks/${id}${path}`, { ...theirs, body });
    expect(answer.status).toBe(404);
  }
  expect((await api.request('GET', '/api/v1/webhooks', theirs)).body).toEqual([]);
  expect((await storedWebhook(api.services, id)).enabled).toBe(true);
});

test('a rotation answers the new secret once and reports the overlap; reads show when the old one expires', async () => {
  const { hooks } = await publishGraph(api.services, owner, echoGraph({ authMode: 'hmac' }));
  const id = hooks.hook.id;
  const before = Date.now();
  const rotated = await api.request('POST', `/api/v1/webhooks/${id}/rotate`, { ...as, body: { overlapSeconds: 600 } });
  expect(rotated.status).toBe(200);
  expect(rotated.body.secret).toMatch(/^whsec_/);
  const expires = Date.parse(rotated.body.previousSecretExpiresAt);
  expect(expires).toBeGreaterThanOrEqual(before + 600_000);
  expect(expires).toBeLessThan(Date.now() + 601_000);

  const read = await api.request('GET', `/api/v1/webhooks/${id}`, as);
  expect(read.body.previousSecretExpiresAt).toBe(rotated.body.previousSecretExpiresAt);
  expect(read.text).not.toContain(rotated.body.secret);
  expect((await api.request('GET', `/api/v1/webhooks/${id}/secret`, as)).body.secret).toBe(rotated.body.secret);
  expect((await api.request('POST', `/api/v1/webhooks/${id}/rotate`, as)).status).toBe(200);
});

test('PATCH validates settings, normalizes header names and applies to the next delivery', async () => {
  const { hooks } = await publishGraph(api.services, owner, echoGraph({ authMode: 'token' }));
  const id = hooks.hook.id;
  const bad = [{}, { unknown: 1 }, { ipAllowlist: ['not-a-range'] }, { maxBodyBytes: 0 }, { syncTimeoutMs: 10 * 60_000 }, { allowedMethods: ['TRACE'] }, { authMode: 'basic' }];
  for (const body of bad) expect((await api.request('PATCH', `/api/v1/webhooks/${id}`, { ...as, body })).status).toBe(400);
  expect((await api.request('PATCH', '/api/v1/webhooks/wh_short', { ...as, body: { enabled: false } })).status).toBe(400);

  const patched = await api.request('PATCH', `/api/v1/webhooks/${id}`, {
    ...as,
    body: { tokenHeader: 'X-Api-Token', allowedContentTypes: ['Text/Plain', 'text/plain'], responseMode: 'sync', syncTimeoutMs: 5000, idempotencyField: 'id', timestampHeader: null },
  });
  expect(patched.status).toBe(200);
  expect(patched.body).toMatchObject({ tokenHeader: 'x-api-token', allowedContentTypes: ['text/plain'], responseMode: 'sync', syncTimeoutMs: 5000, idempotencyField: 'id' });

  const refused = await fetch(`${api.url}/api/webhooks/${id}`, { method: 'POST', headers: { authorization: `Bearer ${hooks.hook.secret}`, 'content-type': 'text/plain' }, body: 'hi' });
  expect(refused.status).toBe(401);
});

test('deliveries are listed newest first in pages', async () => {
  const { hooks } = await publishGraph(api.services, owner, echoGraph({ authMode: 'token' }));
  const id = hooks.hook.id;
  const base = Date.now() - 60_000;
  await addDeliveries(id, [0, 1, 2, 3, 4].map((i) => new Date(base + i * 1000)));

  const seen: string[] = [];
  let cursor: string | null = null;
  do {
    const query: string = cursor ? `?limit=2&cursor=${cursor}` : '?limit=2';
    const page = await api.request('GET', `/api/v1/webhooks/${id}/deliveries${query}`, as);
    expect(page.status).toBe(200);
    seen.push(...page.body.items.map((item: { receivedAt: string }) => item.receivedAt));
    cursor = page.body.nextCursor;
  } while (cursor);
  expect(seen).toEqual([4, 3, 2, 1, 0].map((i) => new Date(base + i * 1000).toISOString()));
  expect((await api.request('GET', `/api/v1/webhooks/${id}/deliveries?cursor=nonsense`, as)).status).toBe(400);
});

test('retention deletes deliveries older than the age limit and the oldest beyond the per-webhook cap', async () => {
  const published = await publishGraph(api.services, owner, twoHookGraph({ authMode: 'token' }, { authMode: 'token' }));
  const [busy, quiet] = [published.hooks.hook.id, published.hooks.other.id];
  const now = new Date();
  const daysAgo = (days: number) => new Date(now.getTime() - days * 86_400_000);
  await addDeliveries(busy, [daysAgo(40), daysAgo(3), daysAgo(2), daysAgo(1), daysAgo(0)]);
  await addDeliveries(quiet, [daysAgo(31), daysAgo(5)]);

  // Retention is installation-wide: other tests' deliveries are pruned too, so the count is checked against the table.
  const total = () => api.services.orm.em.fork().count(WebhookDelivery, {});
  const before = await total();
  const deleted = await pruneDeliveries(api.services.orm.em.fork(), { maxAgeDays: 30, maxPerWebhook: 3 }, now);
  expect(deleted).toBeGreaterThanOrEqual(3);
  expect(await total()).toBe(before - deleted);
  const left = async (webhook: string) =>
    (await api.services.orm.em.fork().find(WebhookDelivery, { webhook }, { orderBy: { receivedAt: 'desc' } })).map((d) => d.receivedAt.getTime());
  expect(await left(busy)).toEqual([daysAgo(0), daysAgo(1), daysAgo(2)].map((d) => d.getTime()));
  expect(await left(quiet)).toEqual([daysAgo(5).getTime()]);

  const stop = startDeliveryRetention({ orm: api.services.orm, logger: pino({ level: 'silent' }) }, { maxAgeDays: 4, maxPerWebhook: 100, intervalMs: 60_000 });
  await stop();
  expect(await left(quiet)).toEqual([]);
  expect(await left(busy)).toHaveLength(3);
});
