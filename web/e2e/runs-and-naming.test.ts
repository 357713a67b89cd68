import type { Page } from 'playwright-core';
import { sendJson, startHttpFixture, type HttpFixture } from '../../test/http-fixture';
import { selectNode, signedInCanvas } from './canvas-harness';

/** Issue 15: runs name their workflow and show their path and attempts; rename and tag; palette synonyms; clipboard. */
describe('canvas: runs view, naming, palette synonyms and the clipboard', () => {
  const session = signedInCanvas();
  let target: HttpFixture;

  beforeAll(async () => {
    target = await startHttpFixture();
    // Busy twice, then answers: the run's fetch node takes three attempts.
    target.route('/wobbly', (_request, response, hit) => (hit < 3 ? sendJson(response, 503, { busy: true }) : sendJson(response, 200, { ok: true })));
  });
  afterAll(() => target?.close());

  const createWorkflow = async (name: string, graph: unknown): Promise<string> => {
    const created = await session.harness.api.request('POST', '/api/v1/workflows', { token: session.token, body: { name, graph } });
    expect(created.status).toBe(201);
    return created.body.id as string;
  };
  const openEditor = async (page: Page, workflowId: string) => {
    await page.goto(`${session.harness.api.url}/workflows/${workflowId}`);
    await page.getByTestId('palette').waitFor();
  };

  it('lists runs with their workflow, marks the path a run took and lists every attempt of a retried node', async () => {
    const { page, api } = session.harness;
    const workflowId = await createWorkflow('Branching', {
      nodes: [
        { id: 'start', type: 'start', version: 1, position: { x: 0, y: 0 } },
        { id: 'check', type: 'condition', version: 1, data: { config: { rules: [{ left: '1', operator: 'equals', right: '1' }] } }, position: { x: 300, y: 0 } },
        {
          id: 'fetch',
          type: 'http-request',
          version: 1,
          data: { config: { url: `${target.url}/wobbly` }, retry: { maximumAttempts: 3, initialInterval: '500ms', backoffCoefficient: 1 } },
          position: { x: 600, y: -100 },
        },
        { id: 'other', type: 'set', version: 1, data: { config: { values: { taken: false } } }, position: { x: 600, y: 150 } },
        { id: 'end', type: 'end', version: 1, position: { x: 900, y: -100 } },
      ],
      edges: [
        { id: 'e1', source: 'start', target: 'check' },
        { id: 'e2', source: 'check', sourceHandle: 'true', target: 'fetch' },
        { id: 'e3', source: 'check', sourceHandle: 'false', target: 'other' },
        { id: 'e4', source: 'fetch', target: 'end' },
      ],
    });
    expect((await api.request('POST', `/api/v1/workflows/${workflowId}/versions`, { token: session.token, body: {} })).status).toBe(201);
    const run = await api.request('POST', `/api/v1/workflows/${workflowId}/runs`, { token: session.token, body: { wait: 60 } });
    expect(run.body.status).toBe('succeeded');

    await page.goto(`${api.url}/runs`);
    const row = page.getByTestId('run-row').filter({ hasText: run.body.id });
    await expect(row.getByTestId('run-workflow').innerText()).resolves.toBe('Branching');
    await row.getByRole('link', { name: run.body.id }).click();

    await page.locator('[data-testid="node-fetch"][data-status="succeeded"]').waitFor({ timeout: 30_000 });
    for (const id of ['e1', 'e2', 'e4']) await page.locator(`.svelte-flow__edge[data-id="${id}"].run-taken`).waitFor({ state: 'attached' });
    await page.locator('.svelte-flow__edge[data-id="e3"].run-not-taken').waitFor({ state: 'attached' });
    await session.harness.screenshot('run-path');

    await selectNode(page, 'fetch');
    const attempts = page.getByTestId('node-attempts').locator('li');
    await attempts.nth(2).waitFor();
    await expect(attempts.evaluateAll((items) => items.map((item) => item.getAttribute('data-status')))).resolves.toEqual(['failed', 'failed', 'succeeded']);
    await expect(attempts.first().innerText()).resolves.toMatch(/#1 failed · .+\n?.*503/);
    expect(session.harness.pageErrors).toEqual([]);
  });

  it('renames a workflow and sets its tags from the editor; the list filters by the new tag', async () => {
    const { page, api } = session.harness;
    const workflowId = await createWorkflow('Draft name', undefined);
    await openEditor(page, workflowId);
    await page.getByTestId('edit-details').click();
    await page.getByLabel('Workflow name').fill('Nightly report');
    await page.getByLabel('Tags').fill('reports, nightly, reports');
    await page.getByRole('button', { name: 'Save name and tags' }).click();
    await page.getByTestId('workflow-name').filter({ hasText: 'Nightly report' }).waitFor();
    await expect(page.getByTestId('workflow-tag').allInnerTexts()).resolves.toEqual(['reports', 'nightly']);
    const saved = await api.request('GET', `/api/v1/workflows/${workflowId}`, { token: session.token });
    expect(saved.body).toMatchObject({ name: 'Nightly report', tags: ['reports', 'nightly'] });

    await page.getByRole('link', { name: 'Workflows', exact: true }).click();
    await page.getByTestId('workflow-row').filter({ hasText: 'Nightly report' }).getByRole('button', { name: 'nightly' }).click();
    await page.getByTestId('workflow-row').nth(1).waitFor({ state: 'detached' });
    await expect(page.getByTestId('workflow-row').innerText()).resolves.toContain('Nightly report');
  });

  it('finds Condition by "if" and For Each by "loop" in the palette; Enter adds the one named', async () => {
    const { page } = session.harness;
    await openEditor(page, await createWorkflow('Synonyms', undefined));
    const search = page.getByTestId('palette-search');
    await search.fill('loop');
    await page.getByTestId('palette-for-each').waitFor();
    await search.fill('if');
    await page.getByTestId('palette-condition').waitFor();
    await search.press('Enter');
    await page.getByTestId('node-condition_1').waitFor();
  });

  it('copies nodes in one workflow and pastes them into another through the system clipboard', async () => {
    const { page, api } = session.harness;
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: api.url });
    const sourceId = await createWorkflow('Copy from', {
      nodes: [
        { id: 'start', type: 'start', version: 1, position: { x: 0, y: 0 } },
        { id: 'greet', type: 'set', version: 1, label: 'Greet', data: { config: { values: { hello: 'world' } } }, position: { x: 300, y: 0 } },
      ],
      edges: [{ id: 'e1', source: 'start', target: 'greet' }],
    });
    const targetId = await createWorkflow('Paste into', undefined);
    await openEditor(page, sourceId);
    await selectNode(page, 'greet');
    await page.keyboard.press('Control+c');
    await expect(page.evaluate<string>('navigator.clipboard.readText()')).resolves.toContain('"nodeType":"set"');

    // Another workflow's editor starts with no copy of its own: what it pastes comes from the system clipboard.
    await openEditor(page, targetId);
    await page.getByTestId('node-start').waitFor();
    await page.keyboard.press('Control+v');
    await page.getByTestId('node-set_1').waitFor();
    await page.keyboard.press('Control+v');
    await page.getByTestId('node-set_2').waitFor();
    await page.getByTestId('save').click();
    await page.getByTestId('editor-notice').filter({ hasText: 'Saved' }).waitFor();
    const saved = await api.request<{ graph: { nodes: { id: string; label?: string; data: unknown; position: { x: number; y: number } }[] } }>('GET', `/api/v1/workflows/${targetId}`, { token: session.token });
    const pasted = saved.body.graph.nodes.filter((node) => node.id.startsWith('set_'));
    expect(pasted.map((node) => [node.id, node.label, node.data])).toEqual([
      ['set_1', 'Greet', expect.objectContaining({ config: { values: { hello: 'world' } } })],
      ['set_2', 'Greet', expect.objectContaining({ config: { values: { hello: 'world' } } })],
    ]);
    expect(pasted.map((node) => node.position)).toEqual([
      { x: 340, y: 40 },
      { x: 380, y: 80 },
    ]);
  });
});
