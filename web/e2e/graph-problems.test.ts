import { connect, dragFromPalette, selectNode, signedInCanvas } from './canvas-harness';

/**
 * Acceptance 2: the server's graph problems are shown on the node (and field) they concern. A draft with problems is
 * saved all the same (they are warnings until it is published, which refuses them).
 */
describe('canvas: graph problems', () => {
  const session = signedInCanvas();

  async function openNewWorkflow(graph?: unknown): Promise<string> {
    const created = await session.harness.api.request('POST', '/api/v1/workflows', { token: session.token, body: { name: `problems ${Date.now()}`, ...(graph ? { graph } : {}) } });
    expect(created.status).toBe(201);
    await session.harness.page.goto(`${session.harness.api.url}/workflows/${created.body.id}`);
    await session.harness.page.getByTestId('palette').waitFor();
    return created.body.id;
  }

  async function savedGraph(workflowId: string) {
    return (await session.harness.api.request('GET', `/api/v1/workflows/${workflowId}`, { token: session.token })).body.graph;
  }

  it('saves an HTTP Request without its URL as a draft, marks the node and the URL field, and refuses to publish it', async () => {
    const { page } = session.harness;
    const workflowId = await openNewWorkflow();
    await dragFromPalette(page, 'http-request', { x: 450, y: 250 });
    await page.getByTestId('node-http_request_1').waitFor();
    await connect(page, { node: 'start' }, { node: 'http_request_1' });

    await page.getByTestId('save').click();
    await page.getByTestId('editor-notice').filter({ hasText: /Saved with \d+ problem/ }).waitFor();
    await expect(page.getByTestId('node-problem-http_request_1').first().innerText()).resolves.toContain('config.url');
    await expect(page.getByTestId('field-http_request_1-config.url').getByTestId('field-problem').innerText()).resolves.not.toBe('');
    await expect(page.getByTestId('draft-state').innerText()).resolves.toContain('saved');
    expect((await savedGraph(workflowId)).nodes.map((node: { id: string }) => node.id)).toEqual(['start', 'http_request_1']);

    await page.getByTestId('publish').click();
    await page.getByRole('alert').filter({ hasText: 'problem' }).waitFor();
    await expect(page.getByTestId('node-problem-http_request_1').first().innerText()).resolves.toContain('config.url');
    expect((await session.harness.api.request('GET', `/api/v1/workflows/${workflowId}/versions`, { token: session.token })).body).toEqual([]);
  });

  it('saves a loaded cycle as a draft with the server naming it, and marks every node of the cycle', async () => {
    const { page } = session.harness;
    const node = (id: string, x: number) => ({ id, type: 'set', version: 1, data: { config: { values: { a: 1 } } }, position: { x, y: 0 } });
    const graph = {
      nodes: [{ id: 'start', type: 'start', version: 1, position: { x: 0, y: 0 } }, node('first', 300), node('second', 600)],
      edges: [
        { id: 'e1', source: 'start', target: 'first' },
        { id: 'e2', source: 'first', target: 'second' },
        { id: 'e3', source: 'second', target: 'first' },
      ],
    };
    const workflowId = await openNewWorkflow(graph);
    await page.getByTestId('node-cycle-first').waitFor();
    await page.getByTestId('node-cycle-second').waitFor();

    await page.getByTestId('save').click();
    const marked = page.locator('[data-testid="node-problem-first"], [data-testid="node-problem-second"]').filter({ hasText: /cycle/i });
    await marked.first().waitFor();
    await page.getByTestId('editor-notice').filter({ hasText: /Saved with/ }).waitFor();
    expect((await savedGraph(workflowId)).edges).toHaveLength(3);
    expect(session.harness.pageErrors).toEqual([]);
  });

  it('fills a Transform\'s missing expression with a JSONata reference to an upstream output, not a {{ }} template', async () => {
    const { page } = session.harness;
    const graph = {
      nodes: [
        { id: 'start', type: 'start', version: 1, position: { x: 0, y: 0 } },
        { id: 'fields', type: 'set', version: 1, data: { config: { values: { a: 1 } } }, position: { x: 300, y: 0 } },
        { id: 'shape', type: 'transform', version: 1, data: { config: {} }, position: { x: 600, y: 0 } },
      ],
      edges: [
        { id: 'e1', source: 'start', target: 'fields' },
        { id: 'e2', source: 'fields', target: 'shape' },
      ],
    };
    const workflowId = await openNewWorkflow(graph);
    await selectNode(page, 'shape');
    const expression = page.locator('#field-shape-config\\.expression');
    await expression.click();
    await page.keyboard.type('$');
    const references = page.getByRole('listbox', { name: 'References' });
    await expect(references.locator('code').allInnerTexts()).resolves.toEqual(['$input', '$incoming.in', '$nodes.fields.output', '$nodes.start.output']);
    await references.getByRole('option').filter({ hasText: '$nodes.fields.output' }).click();
    await expect(expression.inputValue()).resolves.toBe('$nodes.fields.output');

    await page.getByTestId('save').click();
    await page.getByTestId('editor-notice').filter({ hasText: /Saved/ }).waitFor();
    expect((await savedGraph(workflowId)).nodes.find((saved: { id: string }) => saved.id === 'shape').data.config).toEqual({ expression: '$nodes.fields.output' });
    expect(session.harness.pageErrors).toEqual([]);
  });
});
