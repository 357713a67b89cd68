import type { Page } from 'playwright-core';
import { HARNESS_START_MS, browserToken, connect, dragFromPalette, selectNode, setAutosave, signUpInBrowser, startCanvasHarness, type CanvasHarness } from './canvas-harness';

/** Fills a config field of the selected node the way a user does: type, then leave the field (JSON fields save on change). */
async function fillField(page: Page, nodeId: string, field: string, text: string): Promise<void> {
  const input = page.locator(`[id="field-${nodeId}-config.${field}"]`);
  await input.fill(text);
  await input.blur();
}

/**
 * Acceptance of expressions and test runs (issue 14): the n8n-style webhook flow drawn with `{{= }}` expressions only
 * (fields from the body, value * 2, the name upper-cased, the tags counted, a shaped answer), test-run from the
 * unsaved draft on a pinned sample delivery, then published and called over HTTP with another body.
 */
describe('canvas: a webhook flow computed with expressions', () => {
  let harness: CanvasHarness;

  beforeAll(async () => {
    harness = await startCanvasHarness();
  }, HARNESS_START_MS);

  afterAll(() => harness?.close());

  it('test-runs the unsaved draft on a pinned delivery, then publishes it and answers a real webhook call from its body', async () => {
    const { page, api } = harness;
    await signUpInBrowser(harness);
    await page.getByTestId('empty-state').waitFor();
    await page.fill('[aria-label="New workflow name"]', 'Webhook fields');
    await page.getByRole('button', { name: 'New workflow' }).click();
    await page.getByTestId('palette').waitFor();
    // This test runs the draft as drawn, unsaved: autosave would save it.
    await setAutosave(page, false);
    const workflowId = new URL(page.url()).pathname.split('/').pop();
    const token = await browserToken(page);

    // Runs of this flow start at its Webhook, not at the Start a new workflow holds.
    await selectNode(page, 'start');
    await page.keyboard.press('Delete');
    await page.getByTestId('node-start').waitFor({ state: 'detached' });
    await dragFromPalette(page, 'webhook', { x: 150, y: 250 });
    await dragFromPalette(page, 'set', { x: 450, y: 250 });
    await dragFromPalette(page, 'end', { x: 750, y: 250 });
    for (const id of ['webhook_1', 'set_1', 'end_1']) await page.getByTestId(`node-${id}`).waitFor();
    await connect(page, { node: 'webhook_1' }, { node: 'set_1' });
    await connect(page, { node: 'set_1' }, { node: 'end_1' });
    await page.locator('.svelte-flow__edge').nth(1).waitFor({ state: 'attached' });

    await selectNode(page, 'webhook_1');
    await page.selectOption('[id="field-webhook_1-config.authMode"]', 'none');
    await page.selectOption('[id="field-webhook_1-config.responseMode"]', 'sync');
    await page.getByTestId('pin-panel').locator('summary').click();
    await page.getByTestId('pin-json').fill(JSON.stringify({ body: { value: 21, name: 'Ada', tags: ['math', 'engines', 'poetry'] }, headers: {}, query: {}, method: 'POST' }));
    await page.getByTestId('pin-typed').click();
    await page.getByTestId('pin-badge-webhook_1').waitFor();

    await selectNode(page, 'set_1');
    const body = '$nodes.webhook_1.output.body';
    await fillField(page, 'set_1', 'values', JSON.stringify({ doubled: `{{= ${body}.value * 2 }}`, name: `{{= $uppercase(${body}.name) }}`, tagCount: `{{= $count(${body}.tags) }}` }));
    await selectNode(page, 'end_1');
    await fillField(
      page,
      'end_1',
      'value',
      JSON.stringify({ result: { doubled: '{{= $.doubled }}', name: '{{= $.name }}', tagCount: '{{= $.tagCount }}' }, summary: "{{= $.name & ' has ' & $.tagCount & ' tags' }}", ok: '{{= $.tagCount > 0 }}' }),
    );
    await harness.screenshot('expression-flow');

    await page.getByTestId('run-tab').click();
    await page.getByTestId('test-run').click();
    await page.getByTestId('run-state').filter({ hasText: 'succeeded' }).waitFor({ timeout: 30_000 });
    const testRun = await page.getByTestId('run-state').locator('a').innerText();
    await page.getByRole('button', { name: 'Node', exact: true }).click();
    await selectNode(page, 'end_1');
    const shown = page.getByTestId('last-run-output');
    await shown.filter({ hasText: 'succeeded' }).waitFor();
    // The output's tree, read leaf by leaf as the user sees it: `name:` beside its JSON value.
    const keys = (await shown.locator('.leaf .key').allInnerTexts()).map((key) => key.replace(/:$/, ''));
    const values = (await shown.locator('.leaf .value').allInnerTexts()).map((value) => JSON.parse(value) as unknown);
    expect(Object.fromEntries(keys.map((key, index) => [key, values[index]]))).toEqual({ doubled: 42, name: 'ADA', tagCount: 3, summary: 'ADA has 3 tags', ok: true });
    await harness.screenshot('expression-test-run');

    await expect(page.getByTestId('draft-state').innerText()).resolves.toContain('unsaved changes');
    expect((await api.request('GET', `/api/v1/runs?workflowId=${workflowId}`, { token })).body.items).toEqual([]);
    const tests = await api.request('GET', `/api/v1/runs?workflowId=${workflowId}&kind=test`, { token });
    expect(tests.body.items).toMatchObject([{ id: testRun, trigger: 'test', version: null, status: 'succeeded' }]);

    await page.getByTestId('save').click();
    await page.getByTestId('editor-notice').filter({ hasText: 'Saved.' }).waitFor();
    await page.getByTestId('publish').click();
    await page.getByTestId('editor-notice').filter({ hasText: 'Published version 1.' }).waitFor();
    await page.getByTestId('open-triggers').click();
    const card = page.getByTestId('webhook-webhook_1');
    await card.filter({ hasText: 'no authentication' }).filter({ hasText: "answers the End node's output" }).waitFor();
    const url = await card.getByTestId('webhook-url').innerText();

    const answer = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ value: 5, name: 'Grace', tags: ['navy'] }) });
    expect(answer.status).toBe(200);
    await expect(answer.json()).resolves.toEqual({ result: { doubled: 10, name: 'GRACE', tagCount: 1 }, summary: 'GRACE has 1 tags', ok: true });
    const production = await api.request('GET', `/api/v1/runs?workflowId=${workflowId}`, { token });
    expect(production.body.items).toMatchObject([{ trigger: 'webhook', version: 1, status: 'succeeded' }]);
    expect(harness.pageErrors).toEqual([]);
  });
});
