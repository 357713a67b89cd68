import { sendJson, startHttpFixture, type HttpFixture } from '../../test/http-fixture';
import { waitFor } from '../../test/wait-for';
import { HARNESS_START_MS, browserToken, connect, dragFromPalette, selectNode, setAutosave, signUpInBrowser, startCanvasHarness, type CanvasHarness } from './canvas-harness';

/**
 * Test runs from the draft: a graph drawn and never saved is test-run; the HTTP Request's output is pinned from that
 * run, so the next test run and a test of the End node alone do not call it; published, the run calls it for real.
 */
describe('canvas: test runs and pinned data', () => {
  let harness: CanvasHarness;
  let target: HttpFixture;

  beforeAll(async () => {
    harness = await startCanvasHarness();
    target = await startHttpFixture();
    target.route('/quote', (_request, response) => sendJson(response, 200, { quote: 'measure twice' }));
  }, HARNESS_START_MS);

  afterAll(async () => {
    await harness?.close();
    await target?.close();
  });

  /** Clicks `button` in the Run tab and waits until a run other than the one shown before has succeeded. */
  async function runAndWait(button: 'test-run' | 'run'): Promise<string> {
    const { page } = harness;
    await page.getByTestId('run-tab').click();
    const shown = page.getByTestId('run-state').locator('a');
    const before = (await shown.count()) > 0 ? await shown.innerText() : '';
    await page.getByTestId(button).click();
    const succeeded = page.getByTestId('run-state').filter({ hasText: 'succeeded' });
    await (before === '' ? succeeded : succeeded.filter({ hasNotText: before })).waitFor({ timeout: 30_000 });
    return shown.innerText();
  }

  it('test-runs an unsaved draft, pins a node so the next test run and a one-node test skip it, then publishes and runs it for real', async () => {
    const { page } = harness;
    await signUpInBrowser(harness);
    await page.getByTestId('empty-state').waitFor();
    await page.fill('[aria-label="New workflow name"]', 'Quotes');
    await page.getByRole('button', { name: 'New workflow' }).click();
    await page.getByTestId('palette').waitFor();
    // This test runs the draft as drawn, unsaved: autosave would save it.
    await setAutosave(page, false);
    const workflowId = new URL(page.url()).pathname.split('/').pop();
    const token = await browserToken(page);

    await dragFromPalette(page, 'http-request', { x: 450, y: 250 });
    await dragFromPalette(page, 'end', { x: 750, y: 250 });
    for (const id of ['http_request_1', 'end_1']) await page.getByTestId(`node-${id}`).waitFor();
    await connect(page, { node: 'start' }, { node: 'http_request_1' });
    await connect(page, { node: 'http_request_1' }, { node: 'end_1' });
    await page.locator('.svelte-flow__edge').nth(1).waitFor({ state: 'attached' });
    await selectNode(page, 'http_request_1');
    await page.fill('[id="field-http_request_1-config.url"]', `${target.url}/quote`);
    await page.locator('[id="field-http_request_1-config.url"]').blur();

    const firstTest = await runAndWait('test-run');
    expect(target.hits('/quote')).toBe(1);
    await expect(page.getByTestId('draft-state').innerText()).resolves.toContain('unsaved changes');
    const stored = await harness.api.request('GET', `/api/v1/workflows/${workflowId}`, { token });
    expect(stored.body.graph.nodes.map((node: { id: string }) => node.id)).toEqual(['start']);
    expect((await harness.api.request('GET', `/api/v1/runs?workflowId=${workflowId}`, { token })).body.items).toEqual([]);
    expect((await harness.api.request('GET', `/api/v1/runs?workflowId=${workflowId}&kind=test`, { token })).body.items).toMatchObject([{ id: firstTest, trigger: 'test', version: null }]);

    await page.getByRole('button', { name: 'Node', exact: true }).click();
    await selectNode(page, 'http_request_1');
    await page.getByTestId('pin-output').click();
    await page.getByTestId('pin-badge-http_request_1').waitFor();
    await harness.screenshot('pinned-node');

    const secondTest = await runAndWait('test-run');
    expect(secondTest).not.toBe(firstTest);
    await page.locator('[data-testid="node-http_request_1"][data-status="succeeded"]').waitFor();
    expect(target.hits('/quote')).toBe(1);
    // A closed run's node states come from a worker replaying it; on a busy machine one query may miss its deadline.
    let testedNodes = null as Array<{ id: string }> | null;
    await waitFor(`the node states of run ${secondTest}`, async () => {
      testedNodes = (await harness.api.request('GET', `/api/v1/runs/${secondTest}`, { token })).body.nodes;
      return testedNodes !== null;
    });
    expect(testedNodes!.find((node: { id: string }) => node.id === 'http_request_1')).toMatchObject({ pinned: true, output: { body: { quote: 'measure twice' } } });

    // Test the End node alone: its input comes from the pin; nothing else runs.
    await page.getByRole('button', { name: 'Node', exact: true }).click();
    await selectNode(page, 'end_1');
    await page.getByTestId('test-node').click();
    await page.getByTestId('run-state').filter({ hasText: 'succeeded' }).filter({ hasNotText: secondTest }).waitFor({ timeout: 30_000 });
    const nodeTest = await page.getByTestId('run-state').locator('a').innerText();
    const single = await harness.api.request('GET', `/api/v1/runs/${nodeTest}`, { token });
    expect(single.body).toMatchObject({ trigger: 'test', rerunFromNode: 'end_1', result: { output: { body: { quote: 'measure twice' } } } });
    expect(target.hits('/quote')).toBe(1);

    await page.getByTestId('publish').click();
    await page.getByTestId('editor-notice').filter({ hasText: 'Published version 1.' }).waitFor();
    await runAndWait('run');
    expect(target.hits('/quote')).toBe(2);
    expect(harness.pageErrors).toEqual([]);
  });
});
