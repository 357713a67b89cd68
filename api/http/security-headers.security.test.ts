import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createApiHarness, type ApiHarness } from '../../test/api-harness';
import { ensureCanvasBuilt } from '../../web/e2e/chromium';
import { CANVAS_DIST } from './serve-canvas';

/**
 * The canvas, the API docs and the API answer with a policy under which an injected inline script does not run and
 * no other site can frame them; the pages themselves load every script from a file, so they work under it.
 */
let api: ApiHarness;

beforeAll(async () => {
  ensureCanvasBuilt();
  api = await createApiHarness();
}, 180_000);
afterAll(async () => {
  await api?.close();
});

/** The directives of a Content-Security-Policy header, by name. */
function directives(policy: string | null): Map<string, string[]> {
  return new Map(
    (policy ?? '')
      .split(';')
      .map((part) => part.trim().split(/\s+/))
      .filter(([name]) => name)
      .map(([name, ...values]) => [name, values]),
  );
}

/** `<script>` elements with a body: what a strict policy blocks. */
function inlineScripts(html: string): string[] {
  return [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)].filter(([, attributes, body]) => !/\bsrc=/.test(attributes) || body.trim() !== '').map(([tag]) => tag);
}

function expectStrictPage(response: Response): void {
  const policy = directives(response.headers.get('content-security-policy'));
  expect(policy.get('script-src')).toEqual(["'self'"]);
  expect(policy.get('default-src')).toEqual(["'self'"]);
  expect(policy.get('object-src')).toEqual(["'none'"]);
  expect(policy.get('frame-ancestors')).toEqual(["'none'"]);
  expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  expect(response.headers.get('referrer-policy')).toBe('no-referrer');
}

test('the canvas page and its files are served under the strict policy', async () => {
  const page = await fetch(`${api.url}/workflows/any`, { headers: { accept: 'text/html' } });
  expect(page.status).toBe(200);
  const html = await page.text();
  expectStrictPage(page);
  const script = /<script[^>]*src="([^"]+)"/.exec(html)?.[1];
  expect(script).toMatch(/^\/assets\//);
  const asset = await fetch(`${api.url}${script}`);
  expect(asset.headers.get('content-type')).toMatch(/javascript/);
  expectStrictPage(asset);
});

test("the canvas build and the API docs page have no inline script, so the policy does not break them", async () => {
  expect(inlineScripts(readFileSync(join(CANVAS_DIST, 'index.html'), 'utf8'))).toEqual([]);
  const docs = await fetch(`${api.url}/api/docs`);
  expect(docs.status).toBe(200);
  expectStrictPage(docs);
  const html = await docs.text();
  expect(inlineScripts(html)).toEqual([]);
  for (const [, src] of html.matchAll(/<script[^>]*src="([^"]+)"/g)) {
    const file = await fetch(`${api.url}${src}`);
    expect({ src, status: file.status, type: file.headers.get('content-type') }).toEqual({ src, status: 200, type: expect.stringMatching(/javascript/) });
  }
});

test('API answers, errors and health carry the same headers', async () => {
  for (const path of ['/api/v1/auth/me', '/api/v1/nope', '/api/openapi.json', '/health']) {
    const response = await fetch(`${api.url}${path}`);
    expect({ path, nosniff: response.headers.get('x-content-type-options'), frames: directives(response.headers.get('content-security-policy')).get('frame-ancestors') }).toEqual({
      path,
      nosniff: 'nosniff',
      frames: ["'none'"],
    });
  }
});
