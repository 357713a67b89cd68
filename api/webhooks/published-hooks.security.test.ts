import { Webhook } from '../../db/entities';
import { createApiHarness, type ApiHarness, type RequestOptions } from '../../test/api-harness';
import { echoGraph } from '../../test/webhook-fixture';
import { findPublishedHook, PUBLISHED_HOOK_TTL_MS } from './published-hooks';

/**
 * The delivery endpoint reuses an endpoint's settings and plan for a few seconds (published-hooks.ts). These tests
 * prove that a change made through this API process applies to the very next delivery, although the delivery
 * before it had the endpoint cached, and that a change this process did not make is picked up after the TTL.
 */

let api: ApiHarness;
let as: RequestOptions;

beforeAll(async () => {
  api = await createApiHarness();
  as = { token: (await api.signUp('cache')).token };
}, 120_000);
afterAll(async () => {
  await api?.close();
});

/** Creates and publishes a workflow through the API, as a user does; returns it and its endpoint's id. */
async function publishWorkflow(hook: Record<string, unknown>, end: Record<string, unknown> = {}): Promise<{ workflowId: string; hookId: string }> {
  const created = await api.request('POST', '/api/v1/workflows', { ...as, body: { name: 'cached hook', graph: echoGraph(hook, end) } });
  expect(created.status).toBe(201);
  return { workflowId: created.body.id, hookId: await publish(created.body.id) };
}

async function publish(workflowId: string): Promise<string> {
  const published = await api.request('POST', `/api/v1/workflows/${workflowId}/versions`, { ...as, body: {} });
  expect(published.status).toBe(201);
  return published.body.webhooks[0].id;
}

async function deliver(hookId: string, headers: Record<string, string> = {}): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${api.url}/api/webhooks/${hookId}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: '{}' });
  return { status: response.status, body: await response.json() };
}

test('disabling an endpoint refuses its next delivery, though the delivery before had it cached', async () => {
  const { hookId } = await publishWorkflow({ authMode: 'none' });
  expect((await deliver(hookId)).status).toBe(202);
  expect((await api.request('PATCH', `/api/v1/webhooks/${hookId}`, { ...as, body: { enabled: false } })).status).toBe(200);
  expect((await deliver(hookId)).status).toBe(401);
});

test('a newly published version answers the next delivery; a deleted workflow answers none', async () => {
  const { workflowId, hookId } = await publishWorkflow({ authMode: 'none', responseMode: 'sync' }, { value: 'first' });
  expect(await deliver(hookId)).toEqual({ status: 200, body: 'first' });

  const edited = await api.request('PATCH', `/api/v1/workflows/${workflowId}`, { ...as, body: { graph: echoGraph({ authMode: 'none', responseMode: 'sync' }, { value: 'second' }) } });
  expect(edited.status).toBe(200);
  expect(await publish(workflowId)).toBe(hookId);
  expect(await deliver(hookId)).toEqual({ status: 200, body: 'second' });

  expect((await api.request('DELETE', `/api/v1/workflows/${workflowId}`, as)).status).toBe(204);
  expect((await deliver(hookId)).status).toBe(401);
});

test('after a rotation, the old secret of a cached endpoint is refused once the overlap has ended', async () => {
  const { hookId } = await publishWorkflow({ authMode: 'token' });
  const old: string = (await api.request('GET', `/api/v1/webhooks/${hookId}/secret`, as)).body.secret;
  expect((await deliver(hookId, { authorization: `Bearer ${old}` })).status).toBe(202);

  const rotated = await api.request('POST', `/api/v1/webhooks/${hookId}/rotate`, { ...as, body: { overlapSeconds: 1 } });
  expect(rotated.status).toBe(200);
  const overlapEnds = Date.parse(rotated.body.previousSecretExpiresAt);
  // The overlap is wall-clock time by definition: wait until the clock has passed its end.
  while (Date.now() <= overlapEnds) await new Promise((resolve) => setTimeout(resolve, overlapEnds - Date.now() + 1));
  expect((await deliver(hookId, { authorization: `Bearer ${old}` })).status).toBe(401);
  expect((await deliver(hookId, { authorization: `Bearer ${rotated.body.secret}` })).status).toBe(202);
});

test('a change this process did not make (another API process, the database directly) applies after the TTL', async () => {
  const { hookId } = await publishWorkflow({ authMode: 'none' });
  const routes = api.services.temporal.activityRoutes;
  const loadedAt = performance.now();
  expect(await findPublishedHook(api.services.orm, hookId, routes, loadedAt)).not.toBeNull();

  await api.services.orm.em.fork().nativeUpdate(Webhook, { id: hookId }, { enabled: false });
  expect(await findPublishedHook(api.services.orm, hookId, routes, loadedAt + PUBLISHED_HOOK_TTL_MS - 1)).not.toBeNull();
  expect(await findPublishedHook(api.services.orm, hookId, routes, loadedAt + PUBLISHED_HOOK_TTL_MS)).toBeNull();
});
