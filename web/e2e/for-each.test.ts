import { HARNESS_START_MS, browserToken, selectNode, signUpInBrowser, startCanvasHarness, type CanvasHarness } from './canvas-harness';

/** The run inspector shows a For Each node's calls, each linked to the chunk run that carried it. */
describe('canvas: For Each in the run inspector', () => {
  let harness: CanvasHarness;

  beforeAll(async () => {
    harness = await startCanvasHarness();
  }, HARNESS_START_MS);

  afterAll(() => harness?.close());

  it("lists the loop's counts and one row per item with a link to its chunk run", async () => {
    const { page, api } = harness;
    await signUpInBrowser(harness);
    const token = await browserToken(page);
    const publish = async (name: string, graph: unknown) => {
      const created = await api.request('POST', '/api/v1/workflows', { token, body: { name, graph } });
      expect((await api.request('POST', `/api/v1/workflows/${created.body.id}/versions`, { token, body: {} })).status).toBe(201);
      return created.body.id as string;
    };
    const itemWorkflowId = await publish('Item', {
      nodes: [
        { id: 'start', type: 'start', version: 1, position: { x: 0, y: 0 } },
        { id: 'shape', type: 'set', version: 1, data: { config: { values: { item: '{{ input.item }}' } } }, position: { x: 300, y: 0 } },
        { id: 'end', type: 'end', version: 1, position: { x: 600, y: 0 } },
      ],
      edges: [
        { id: 'e1', source: 'start', target: 'shape' },
        { id: 'e2', source: 'shape', target: 'end' },
      ],
    });
    const loopWorkflowId = await publish('Loop', {
      nodes: [
        { id: 'start', type: 'start', version: 1, position: { x: 0, y: 0 } },
        { id: 'loop', type: 'for-each', version: 1, data: { config: { workflowId: itemWorkflowId, items: '{{ input.list }}', concurrency: 3 } }, position: { x: 300, y: 0 } },
        { id: 'end', type: 'end', version: 1, position: { x: 600, y: 0 } },
      ],
      edges: [
        { id: 'e1', source: 'start', target: 'loop' },
        { id: 'e2', source: 'loop', target: 'end' },
      ],
    });
    const started = await api.request('POST', `/api/v1/workflows/${loopWorkflowId}/runs`, { token, body: { inputs: { list: ['a', 'b', 'c', 'd', 'e', 'f'] }, wait: 60 } });
    expect(started.body.status).toBe('succeeded');

    await page.goto(`${api.url}/runs/${started.body.id}`);
    await page.locator('[data-testid="node-loop"][data-status="succeeded"]').waitFor({ timeout: 30_000 });
    await selectNode(page, 'loop');
    await page.getByTestId('for-each-counts').filter({ hasText: '6 items · 6 succeeded · 0 failed' }).waitFor();
    // The loop's item count labels its edge on the run's path.
    await page.locator('.svelte-flow__edge-label').filter({ hasText: '6 items' }).waitFor();
    await page.locator('.svelte-flow__edge[data-id="e2"].run-taken').waitFor({ state: 'attached' });
    const rows = page.getByTestId('for-each-calls').locator('tbody tr');
    await expect(rows.count()).resolves.toBe(6);
    const link = rows.nth(5).locator('a');
    await expect(link.innerText()).resolves.toBe('chunk 1');
    await expect(link.getAttribute('href')).resolves.toContain(encodeURIComponent(`${started.body.id}.loop.1`));
    await harness.screenshot('for-each-calls');
    expect(harness.pageErrors).toEqual([]);
  });
});
