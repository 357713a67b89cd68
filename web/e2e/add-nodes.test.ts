import type { Page } from 'playwright-core';
import { signedInCanvas } from './canvas-harness';

interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The on-screen box of every node, by id. */
async function nodeBoxes(page: Page): Promise<Map<string, Rect>> {
  const boxes = new Map<string, Rect>();
  for (const node of await page.locator('.svelte-flow__node').all()) {
    const id = await node.getAttribute('data-id');
    const box = await node.boundingBox();
    if (id && box) boxes.set(id, box);
  }
  return boxes;
}

function overlapping(boxes: Map<string, Rect>): string[] {
  const entries = [...boxes];
  return entries.flatMap(([a, one], index) =>
    entries
      .slice(index + 1)
      .filter(([, other]) => one.x < other.x + other.width && other.x < one.x + one.width && one.y < other.y + other.height && other.y < one.y + one.height)
      .map(([b]) => `${a} & ${b}`),
  );
}

/** Issue 15: a node's "+" adds the next node after that output, connected; the palette never drops one onto another. */
describe('canvas: adding nodes', () => {
  const session = signedInCanvas();

  it('adds after an output from its "+", connected and clear of the others; the palette adds after the selected node, or in free space', async () => {
    const { page } = session.harness;
    const graph = {
      nodes: [
        { id: 'start', type: 'start', version: 1, data: { config: {} }, position: { x: 0, y: 0 } },
        { id: 'check', type: 'condition', version: 1, data: { config: { rules: [{ left: '1', operator: 'equals', right: '1' }] } }, position: { x: 300, y: 0 } },
      ],
      edges: [{ id: 'e1', source: 'start', target: 'check' }],
    };
    const created = await session.harness.api.request('POST', '/api/v1/workflows', { token: session.token, body: { name: `add ${Date.now()}`, graph } });
    expect(created.status).toBe(201);
    await page.goto(`${session.harness.api.url}/workflows/${created.body.id}`);
    await page.getByTestId('node-check').waitFor();

    await page.getByTestId('add-after-check-false').click();
    await page.getByTestId('palette-after').filter({ hasText: 'check (false)' }).waitFor();
    await page.locator('[data-testid="palette-search"]:focus').waitFor();
    await page.keyboard.type('set');
    await page.keyboard.press('Enter');
    await page.getByTestId('node-set_1').waitFor();
    await page.locator('.svelte-flow__edge[data-id="e_check_false__set_1_in"]').waitFor({ state: 'attached' });
    await expect(page.getByTestId('palette-after').count()).resolves.toBe(0);

    await page.getByTestId('add-after-check-true').click();
    await page.getByTestId('palette-set').click();
    await page.getByTestId('node-set_2').waitFor();
    await page.locator('.svelte-flow__edge[data-id="e_check_true__set_2_in"]').waitFor({ state: 'attached' });

    await page.getByTestId('palette-end').click();
    await page.getByTestId('node-end_1').waitFor();
    await page.locator('.svelte-flow__edge[data-id="e_set_2_out__end_1_in"]').waitFor({ state: 'attached' });

    await page.locator('.svelte-flow__pane').click({ position: { x: 20, y: 20 } });
    await page.getByTestId('palette-set').click();
    await page.getByTestId('node-set_3').waitFor();
    await page.locator('.svelte-flow__pane').click({ position: { x: 20, y: 20 } });
    await page.getByTestId('palette-set').click();
    await page.getByTestId('node-set_4').waitFor();
    await expect(page.locator('.svelte-flow__edge').count()).resolves.toBe(4);

    const boxes = await nodeBoxes(page);
    expect(overlapping(boxes)).toEqual([]);
    const check = boxes.get('check')!;
    for (const id of ['set_1', 'set_2']) expect(boxes.get(id)!.x).toBeGreaterThan(check.x + check.width);
    expect(boxes.get('set_2')!.y).toBeLessThan(boxes.get('set_1')!.y);
    expect(boxes.get('end_1')!.x).toBeGreaterThan(boxes.get('set_2')!.x + boxes.get('set_2')!.width);
    expect(session.harness.pageErrors).toEqual([]);
  });
});
