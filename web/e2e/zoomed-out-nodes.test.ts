import { signedInCanvas } from './canvas-harness';

/**
 * Issue 15: zoomed out too far to read (a large graph at its fit-all zoom), nodes are drawn as plain boxes, which keeps
 * panning smooth; they stay clickable, and zooming in brings their titles and handles back.
 */
describe('canvas: zoomed-out nodes', () => {
  const session = signedInCanvas();

  it('draws a wide graph at its fit zoom as boxes that open their form when clicked, with titles back once zoomed in', async () => {
    const { page, api } = session.harness;
    // A row of 40 Set nodes 400 apart: fitting 16,000 flow units into the pane takes a zoom far below DETAIL_MIN_ZOOM.
    const nodes = Array.from({ length: 40 }, (_, index) => ({ id: `set_${index}`, type: 'set', version: 1, data: { config: { values: { index } } }, position: { x: 400 * index, y: 0 } }));
    const created = await api.request('POST', '/api/v1/workflows', { token: session.token, body: { name: `zoomed out ${Date.now()}`, graph: { nodes, edges: [] } } });
    expect(created.status).toBe(201);
    await page.goto(`${api.url}/workflows/${created.body.id}`);
    const zoomedOut = page.locator('[data-testid="canvas"].zoomed-out');
    await zoomedOut.waitFor();
    const title = page.locator('[data-testid="node-set_0"] .title');
    const handle = page.locator('.svelte-flow__handle.source[data-nodeid="set_0"]');
    await expect(title.isVisible()).resolves.toBe(false);
    await expect(handle.isVisible()).resolves.toBe(false);
    await session.harness.screenshot('zoomed-out-nodes');

    await page.locator('[data-testid="node-set_0"]').click();
    await page.locator('[data-testid="config-panel"] input#node-label[placeholder="Set"]').waitFor();

    // Each click zooms in by a step; a handful take the canvas past DETAIL_MIN_ZOOM.
    for (let clicks = 0; clicks < 30 && (await zoomedOut.count()) > 0; clicks++) await page.locator('.svelte-flow__controls-zoomin').click();
    await title.waitFor();
    await handle.waitFor();
    await expect(zoomedOut.count()).resolves.toBe(0);
    expect(session.harness.pageErrors).toEqual([]);
  });
});
