import type { Page } from 'playwright-core';
import { signedInCanvas } from './canvas-harness';

/** The computed background colour of the first element `selector` matches (evaluated in the page, as text: this file has no DOM types). */
function backgroundOf(page: Page, selector: string): Promise<string> {
  return page.evaluate<string>(`getComputedStyle(document.querySelector(${JSON.stringify(selector)})).backgroundColor`);
}

/** Waits until `selector`'s background is no longer `before`, and answers the new one. */
async function backgroundChangedFrom(page: Page, selector: string, before: string): Promise<string> {
  await page.waitForFunction(`getComputedStyle(document.querySelector(${JSON.stringify(selector)})).backgroundColor !== ${JSON.stringify(before)}`);
  return backgroundOf(page, selector);
}

/** Issue 15: a light / dark / system theme switch in the nav bar, kept across reloads, following the system by default. */
describe('canvas: dark mode', () => {
  const session = signedInCanvas();
  const node = '[data-testid="node-start"]';

  it('switches the page and the canvas to dark, keeps the choice over a reload, and back to the system’s light', async () => {
    const { page, api } = session.harness;
    const graph = { nodes: [{ id: 'start', type: 'start', version: 1, data: { config: {} }, position: { x: 0, y: 0 } }], edges: [] };
    const created = await api.request('POST', '/api/v1/workflows', { token: session.token, body: { name: `dark ${Date.now()}`, graph }});
    expect(created.status).toBe(201);
    await page.goto(`${api.url}/workflows/${created.body.id}`);
    await page.locator(node).waitFor();
    await expect(page.getByTestId('theme-switch').inputValue()).resolves.toBe('system');
    const lightBody = await backgroundOf(page, 'body');
    const lightNode = await backgroundOf(page, node);
    await page.locator('.svelte-flow.light').waitFor();

    await page.getByTestId('theme-switch').selectOption('dark');
    const darkBody = await backgroundChangedFrom(page, 'body', lightBody);
    const darkNode = await backgroundChangedFrom(page, node, lightNode);
    await page.locator('.svelte-flow.dark').waitFor();
    await session.harness.screenshot('dark-mode-editor');

    await page.reload();
    await page.locator(node).waitFor();
    await expect(page.getByTestId('theme-switch').inputValue()).resolves.toBe('dark');
    await expect(backgroundOf(page, 'body')).resolves.toBe(darkBody);
    await expect(backgroundOf(page, node)).resolves.toBe(darkNode);
    await page.locator('.svelte-flow.dark').waitFor();

    await page.getByTestId('theme-switch').selectOption('system');
    await expect(backgroundChangedFrom(page, 'body', darkBody)).resolves.toBe(lightBody);
    await expect(backgroundOf(page, node)).resolves.toBe(lightNode);
    expect(session.harness.pageErrors).toEqual([]);
  });

  it('is dark on a first visit when the system prefers dark', async () => {
    const { browser, api } = session.harness;
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      await page.emulateMedia({ colorScheme: 'dark' });
      await page.goto(api.url);
      await page.getByRole('button', { name: 'No account yet? Sign up' }).waitFor();
      await expect(page.evaluate<string>('document.documentElement.dataset.theme')).resolves.toBe('dark');
      const darkBody = await backgroundOf(page, 'body');
      expect(darkBody).not.toBe('rgb(255, 255, 255)');
      // Nothing chosen yet, so the page follows the system as it changes.
      await page.emulateMedia({ colorScheme: 'light' });
      await expect(backgroundChangedFrom(page, 'body', darkBody)).resolves.toBe('rgb(255, 255, 255)');
    } finally {
      await context.close();
    }
  });
});
