import { sendJson, startHttpFixture, type HttpFixture } from '../../test/http-fixture';
import { HARNESS_START_MS, browserToken, connect, dragFromPalette, selectNode, signUpInBrowser, startCanvasHarness, type CanvasHarness } from './canvas-harness';

/** Acceptance 1: draw Start → HTTP Request → End in the browser, save, publish, run, watch it, and inspect it. */
describe('canvas: author, run and inspect a workflow', () => {
  let harness: CanvasHarness;
  let target: HttpFixture;

  beforeAll(async () => {
    harness = await startCanvasHarness();
    target = await startHttpFixture();
    target.route('/greeting', (_request, response) => sendJson(response, 200, { greeting: 'hello from the test server' }));
  }, HARNESS_START_MS);

  afterAll(async () => {
    await harness?.close();
    await target?.close();
  });

  it('draws, configures, saves, publishes and runs a workflow, then finds the HTTP output in the run', async () => {
    const { page } = harness;
    await signUpInBrowser(harness);
    await page.getByTestId('empty-state').waitFor();

    await page.fill('[aria-label="New workflow name"]', 'Greeting');
    await page.getByRole('button', { name: 'New workflow' }).click();
    await page.getByTestId('palette').waitFor();

    // The new workflow holds a lone Start node; replace it with nodes drawn from the palette.
    await selectNode(page, 'start');
    await page.keyboard.press('Delete');
    await page.getByTestId('node-start').waitFor({ state: 'detached' });
    await dragFromPalette(page, 'start', { x: 150, y: 250 });
    await dragFromPalette(page, 'http-request', { x: 450, y: 250 });
    await dragFromPalette(page, 'end', { x: 750, y: 250 });
    for (const id of ['start_1', 'http_request_1', 'end_1']) await page.getByTestId(`node-${id}`).waitFor();

    await connect(page, { node: 'start_1' }, { node: 'http_request_1' });
    await connect(page, { node: 'http_request_1' }, { node: 'end_1' });
    await page.locator('.svelte-flow__edge').nth(1).waitFor({ state: 'attached' });

    await selectNode(page, 'http_request_1');
    await page.fill('[id="field-http_request_1-config.url"]', `${target.url}/greeting`);
    await page.getByTestId('tool-settings').locator('summary').click();
    await page.fill('[id="field-http_request_1-toolDescription"]', 'Fetches the greeting of the day.');
    await page.locator('[id="field-http_request_1-toolDescription"]').blur();
    await harness.screenshot('editor');

    await page.getByTestId('save').click();
    await page.getByTestId('editor-notice').filter({ hasText: 'Saved.' }).waitFor();
    const workflowId = new URL(page.url()).pathname.split('/').pop();
    const saved = await harness.api.request<{ graph: { nodes: { id: string; data: Record<string, unknown> }[] } }>('GET', `/api/v1/workflows/${workflowId}`, { token: await browserToken(page) });
    expect(saved.body.graph.nodes.find((node) => node.id === 'http_request_1')?.data).toMatchObject({ toolDescription: 'Fetches the greeting of the day.' });
    await page.getByTestId('publish').click();
    await page.getByTestId('editor-notice').filter({ hasText: 'Published version 1.' }).waitFor();

    await page.getByTestId('run-tab').click();
    await page.getByTestId('run').click();
    for (const id of ['start_1', 'http_request_1', 'end_1']) {
      await page.locator(`[data-testid="node-${id}"][data-status="succeeded"]`).waitFor({ timeout: 30_000 });
    }
    await page.getByTestId('run-state').filter({ hasText: 'succeeded' }).waitFor();
    await page.locator('[data-testid="event-log"] li[data-type="run.succeeded"]').waitFor();
    await harness.screenshot('live-run');
    expect(target.hits('/greeting')).toBe(1);

    await page.getByRole('link', { name: 'Runs', exact: true }).click();
    await expect(page.getByTestId('run-row').first().getByTestId('run-workflow').innerText()).resolves.toBe('Greeting');
    await page.getByTestId('run-row').first().getByRole('link', { name: /^run-/ }).click();
    await page.getByTestId('timeline').waitFor();
    await page.locator('[data-testid="timeline"] .lane').nth(2).waitFor();
    await harness.screenshot('timeline');

    await selectNode(page, 'http_request_1');
    await expect(page.getByTestId('node-output').innerText()).resolves.toContain('hello from the test server');
    expect(harness.pageErrors).toEqual([]);
  });
});
