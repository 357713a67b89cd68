import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { createApiHarness, type ApiHarness } from '../../test/api-harness';
import { ensureCanvasBuilt, launchChromium } from './chromium';

/** Screenshots the e2e tests keep (git-ignored). */
export const ARTIFACTS = resolve(__dirname, '../../test-artifacts');

/** Starting the API, a worker and Chromium takes seconds, and much longer on a busy machine. */
export const HARNESS_START_MS = 180_000;

export interface CanvasHarness {
  api: ApiHarness;
  browser: Browser;
  page: Page;
  /** Uncaught errors of the page and what its Content-Security-Policy blocked: the tests expect none. */
  pageErrors: string[];
  screenshot(name: string): Promise<void>;
  close(): Promise<void>;
}

/** The real API (serving the built canvas), its worker, and a fresh Chromium page on it. */
export async function startCanvasHarness(): Promise<CanvasHarness> {
  ensureCanvasBuilt();
  const api = await createApiHarness();
  const browser = await launchChromium();
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  // The canvas runs under the server's Content-Security-Policy: anything it blocks shows up as a console error.
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) pageErrors.push(message.text());
  });
  page.setDefaultTimeout(20_000);
  mkdirSync(ARTIFACTS, { recursive: true });
  return {
    api,
    browser,
    page,
    pageErrors,
    screenshot: async (name) => void (await page.screenshot({ path: join(ARTIFACTS, `${name}.png`) })),
    async close() {
      await browser.close();
      await api.close();
    },
  };
}

/** Signs up through the form; answers the email used. */
export async function signUpInBrowser(harness: CanvasHarness): Promise<string> {
  const { page, api } = harness;
  const email = `canvas-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@example.com`;
  await page.goto(api.url);
  await page.getByRole('button', { name: 'No account yet? Sign up' }).click();
  await page.fill('#email', email);
  await page.fill('#password', 'correct horse battery staple');
  await page.getByRole('button', { name: 'Sign up', exact: true }).click();
  await page.getByRole('heading', { name: 'Workflows', exact: true }).waitFor();
  return email;
}

/**
 * An access token of the browser's session, for setting up workflows over the API as the signed-in user. The
 * canvas keeps its own in memory only, so this one comes the way a reload gets one: through the refresh cookie.
 */
export async function browserToken(page: Page): Promise<string> {
  // Evaluated in the page, as text: this file is type-checked without the DOM's types.
  return page.evaluate<string>(`fetch('/api/v1/auth/refresh', { method: 'POST' }).then((response) => response.json()).then((session) => session.accessToken)`);
}

/**
 * For a describe block: a harness with a user signed up in its browser, started before the block's tests and closed
 * after them; `token` acts as that user over the API.
 */
export function signedInCanvas(): { harness: CanvasHarness; token: string } {
  const session = {} as { harness: CanvasHarness; token: string };
  beforeAll(async () => {
    session.harness = await startCanvasHarness();
    await signUpInBrowser(session.harness);
    session.token = await browserToken(session.harness.page);
  }, HARNESS_START_MS);
  afterAll(() => session.harness?.close());
  return session;
}

/** Drags a node type from the palette and drops it at a point of the canvas (relative to its top-left corner). */
export async function dragFromPalette(page: Page, type: string, at: { x: number; y: number }): Promise<void> {
  await page.dragAndDrop(`[data-testid="palette-${type}"]`, '[data-testid="canvas"]', { targetPosition: at });
}

/** Drags from one node's output handle to another node's input handle. */
export async function connect(page: Page, from: { node: string; handle?: string }, to: { node: string; handle?: string }): Promise<void> {
  await dragConnectionOver(page, from, to);
  await page.mouse.up();
}

/** Drags a connection from an output handle over an input handle and holds it there (the mouse button stays down). */
export async function dragConnectionOver(page: Page, from: { node: string; handle?: string }, to: { node: string; handle?: string }): Promise<void> {
  const handle = (node: string, id: string, kind: 'source' | 'target') => page.locator(`.svelte-flow__handle.${kind}[data-nodeid="${node}"][data-handleid="${id}"]`);
  const source = await handle(from.node, from.handle ?? 'out', 'source').boundingBox();
  const target = await handle(to.node, to.handle ?? 'in', 'target').boundingBox();
  if (!source || !target) throw new Error(`handles of ${from.node} → ${to.node} are not on screen`);
  await page.mouse.move(source.x + source.width / 2, source.y + source.height / 2);
  await page.mouse.down();
  await page.mouse.move(target.x + target.width / 2, target.y + target.height / 2, { steps: 12 });
}

/**
 * Holds a dragged connection over an input long enough to read why it is refused, then lets go; answers the refusal
 * shown while dragging, after it has gone.
 */
export async function refusalWhileDragging(page: Page, from: { node: string; handle?: string }, to: { node: string; handle?: string }): Promise<string> {
  await dragConnectionOver(page, from, to);
  const hint = page.getByTestId('connection-refusal');
  await hint.waitFor();
  const text = await hint.innerText();
  await page.mouse.up();
  await hint.waitFor({ state: 'detached' });
  return text;
}

/** Selects a node by clicking its title. */
export async function selectNode(page: Page, nodeId: string): Promise<void> {
  await page.locator(`[data-testid="node-${nodeId}"] .title`).click();
}

/** Switches the editor's autosave (a per-browser preference) on or off. */
export async function setAutosave(page: Page, enabled: boolean): Promise<void> {
  await page.getByTestId('autosave').setChecked(enabled);
}
