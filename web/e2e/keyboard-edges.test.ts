import type { Page } from 'playwright-core';
import { signedInCanvas } from './canvas-harness';

/** The test id, or else the canvas node id, of the focused element (evaluated in the page, as text: no DOM types here). */
function focused(page: Page): Promise<string | null> {
  return page.evaluate<string | null>(`(() => {
    const element = document.activeElement;
    return element?.dataset.testid ?? element?.dataset.id ?? element?.id ?? null;
  })()`);
}

/** Presses Tab (or Shift+Tab) until the element named `name` (see `focused`) has the focus. */
async function tabTo(page: Page, name: string, key: 'Tab' | 'Shift+Tab' = 'Tab'): Promise<void> {
  for (let presses = 0; presses < 60; presses++) {
    if ((await focused(page)) === name) return;
    await page.keyboard.press(key);
  }
  throw new Error(`${key} never reached ${name}; the focus is on ${await focused(page)}`);
}

/** Issue 15: edges drawn without a mouse, through the same rules as a drag, every step and refusal said in words. */
describe('canvas: keyboard edges', () => {
  const session = signedInCanvas();

  it('connects Start → Set → End with the keyboard alone, announces a refused connection, and saves the edges', async () => {
    const { page, api } = session.harness;
    const graph = {
      nodes: [
        { id: 'start', type: 'start', version: 1, data: { config: {} }, position: { x: 0, y: 0 } },
        { id: 'set', type: 'set', version: 1, data: { config: { values: { a: 1 } } }, position: { x: 280, y: 0 } },
        { id: 'end', type: 'end', version: 1, data: { config: {} }, position: { x: 560, y: 0 } },
      ],
      edges: [],
    };
    const created = await api.request('POST', '/api/v1/workflows', { token: session.token, body: { name: `keyboard ${Date.now()}`, graph } });
    expect(created.status).toBe(201);
    await page.goto(`${api.url}/workflows/${created.body.id}`);
    await page.getByTestId('node-end').waitFor();
    const status = page.getByTestId('keyboard-connect-status');

    // The skip link is the editor's first stop, and jumps past the toolbar and the palette into the canvas.
    await tabTo(page, 'skip-to-canvas');
    await page.getByTestId('skip-to-canvas').filter({ hasText: 'Skip to canvas' }).waitFor();
    await page.keyboard.press('Enter');
    await expect(focused(page)).resolves.toBe('canvas');
    await page.keyboard.press('Tab');
    await expect(focused(page)).resolves.toBe('start');
    await expect(page.evaluate<string>('getComputedStyle(document.activeElement).outlineStyle')).resolves.toBe('solid');

    await page.keyboard.press('c');
    await status.filter({ hasText: 'Connect output “Inputs” of Start (start) to input “Input” of Set (set) (1 of 2)?' }).waitFor();
    await page.keyboard.press('Enter');
    await status.filter({ hasText: 'Connected output “Inputs” of Start (start) to input “Input” of Set (set).' }).waitFor();
    await expect(focused(page)).resolves.toBe('start');

    await page.keyboard.press('Tab');
    await expect(focused(page)).resolves.toBe('set');
    await page.keyboard.press('c');
    await status.filter({ hasText: 'to input “Result” of End (end) (1 of 1)?' }).waitFor();
    await page.keyboard.press('Enter');
    await status.filter({ hasText: 'Connected output “Output” of Set (set) to input “Result” of End (end).' }).waitFor();

    // Start → Set again: the drag's own rule refuses it, in words, and Escape leaves it undrawn.
    await tabTo(page, 'start', 'Shift+Tab');
    await page.keyboard.press('c');
    await status.filter({ hasText: '(1 of 2)?' }).waitFor();
    await page.keyboard.press('Enter');
    await status.filter({ hasText: "Can't connect: these handles are already connected." }).waitFor();
    await page.keyboard.press('Escape');
    await status.filter({ hasText: 'Connection cancelled.' }).waitFor();
    await expect(page.locator('.svelte-flow__edge').count()).resolves.toBe(2);
    await session.harness.screenshot('keyboard-edges');

    await tabTo(page, 'save', 'Shift+Tab');
    await page.keyboard.press('Enter');
    await page.getByTestId('draft-state').filter({ hasText: /^saved/ }).waitFor();
    const saved = await api.request('GET', `/api/v1/workflows/${created.body.id}`, { token: session.token });
    const edges = (saved.body.graph.edges as { source: string; target: string }[]).map((edge) => `${edge.source}→${edge.target}`);
    expect(edges.sort()).toEqual(['set→end', 'start→set']);
    expect(session.harness.pageErrors).toEqual([]);
  });
});
