import { readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { createApiHarness, type ApiHarness, type TestAccount } from '../test/api-harness';
import globalSetup from '../test/global-setup';
import globalTeardown from '../test/global-teardown';
import { waitFor } from '../test/wait-for';
import { launchChromium } from '../web/e2e/chromium';

/**
 * `npm run docs:screenshots`: the pictures README shows, in light and dark, taken from the real thing: the editor
 * with examples/diamond-condition.json, a finished run of it, and its Condition node's rules. The same parts the
 * browser tests use (a Temporal dev server, the API with its worker on a throwaway embedded database, Debian's
 * Chromium); the npm script rebuilds web/dist first, so the pictures show the canvas as it is in the working tree.
 */
const OUT = resolve(__dirname, '../docs/screenshots');
const EXAMPLE = resolve(__dirname, '../examples/diamond-condition.json');
const THEMES = ['light', 'dark'] as const;
const VIEWPORT = { width: 1440, height: 900 };

interface Shown {
  workflowId: string;
  runId: string;
}

/** The example workflow, published and run once (an amount over the limit: the manual-review branch). */
async function prepare(api: ApiHarness, account: TestAccount): Promise<Shown> {
  const graph = JSON.parse(readFileSync(EXAMPLE, 'utf8'));
  const created = await api.request('POST', '/api/v1/workflows', { token: account.token, body: { name: 'Order review', graph } });
  if (created.status !== 201) throw new Error(`creating the workflow answered ${created.status}: ${created.text}`);
  const workflowId: string = created.body.id;
  const published = await api.request('POST', `/api/v1/workflows/${workflowId}/versions`, { token: account.token, body: {} });
  if (published.status !== 201) throw new Error(`publishing answered ${published.status}: ${published.text}`);
  const started = await api.request('POST', `/api/v1/workflows/${workflowId}/runs`, { token: account.token, body: { inputs: { amount: 1500 } } });
  if (started.status !== 202) throw new Error(`starting a run answered ${started.status}: ${started.text}`);
  const runId: string = started.body.id;
  await waitFor(`run ${runId} to succeed`, async () => (await api.request('GET', `/api/v1/runs/${runId}`, { token: account.token })).body.status === 'succeeded');
  return { workflowId, runId };
}

async function signIn(page: Page, url: string, account: TestAccount): Promise<void> {
  await page.goto(url);
  await page.fill('#email', account.email);
  await page.fill('#password', account.password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByRole('heading', { name: 'Workflows', exact: true }).waitFor();
}

async function shoot(page: Page, name: string): Promise<void> {
  // Two frames, so xyflow's fit-to-view has been drawn.
  await page.evaluate('new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))');
  await page.screenshot({ path: join(OUT, `${name}.png`) });
  console.log(`docs/screenshots/${name}.png`);
}

async function screenshotTheme(browser: Browser, api: ApiHarness, account: TestAccount, shown: Shown, theme: (typeof THEMES)[number]): Promise<void> {
  const context = await browser.newContext({ viewport: VIEWPORT, colorScheme: theme });
  try {
    const page = await context.newPage();
    page.setDefaultTimeout(60_000);
    await signIn(page, api.url, account);

    await page.goto(`${api.url}/workflows/${shown.workflowId}`);
    await page.getByTestId('node-end').waitFor();
    await shoot(page, `editor-${theme}`);

    await page.locator('[data-testid="node-isLarge"] .title').click();
    await page.getByTestId('config-panel').waitFor();
    await shoot(page, `rule-editor-${theme}`);

    await page.goto(`${api.url}/runs/${shown.runId}`);
    await page.locator('[data-testid="node-end"][data-status="succeeded"]').waitFor();
    await shoot(page, `run-view-${theme}`);
  } finally {
    await context.close();
  }
}

async function main(): Promise<void> {
  await mkdir(OUT, { recursive: true });
  await globalSetup();
  const api = await createApiHarness();
  const browser = await launchChromium();
  try {
    const account = await api.signUp('docs');
    const shown = await prepare(api, account);
    for (const theme of THEMES) await screenshotTheme(browser, api, account, shown, theme);
  } finally {
    await browser.close();
    await api.close();
    await globalTeardown();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
