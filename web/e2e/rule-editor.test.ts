import type { Page } from 'playwright-core';
import { HARNESS_START_MS, browserToken, selectNode, setAutosave, signUpInBrowser, startCanvasHarness, type CanvasHarness } from './canvas-harness';

/** Adds a node of `type` after an output handle through that handle's "+", connected to it. */
async function addAfter(page: Page, output: { node: string; handle: string }, type: string, added: string): Promise<void> {
  await page.getByTestId(`add-after-${output.node}-${output.handle}`).click();
  await page.getByTestId(`palette-${type}`).click();
  await page.getByTestId(`node-${added}`).waitFor();
}

const rule = (page: Page, number: number, part: 'value' | 'operator' | 'compared with') => page.getByLabel(`Rule ${number} ${part}`, { exact: true });

/**
 * Issue 15: a Condition's rules are built in rows (an operator per row from grouped, readable names; no right value for
 * unary operators), saved in the node's schema shape, routed by at run time and restored on reload; the Condition's
 * handles carry their labels.
 */
describe('canvas: the Condition rule editor', () => {
  let harness: CanvasHarness;

  beforeAll(async () => {
    harness = await startCanvasHarness();
  }, HARNESS_START_MS);

  afterAll(() => harness?.close());

  it('builds a numeric and a unary rule, switches to any, reorders, runs the branch they choose and reloads them', async () => {
    const { page } = harness;
    await signUpInBrowser(harness);
    await page.fill('[aria-label="New workflow name"]', 'Large or unnoted');
    await page.getByRole('button', { name: 'New workflow' }).click();
    await page.getByTestId('palette').waitFor();
    // Saved by the Save button below, so the saved config is read once, whole.
    await setAutosave(page, false);

    await addAfter(page, { node: 'start', handle: 'out' }, 'condition', 'condition_1');
    await addAfter(page, { node: 'condition_1', handle: 'true' }, 'end', 'end_1');
    await addAfter(page, { node: 'condition_1', handle: 'false' }, 'end', 'end_2');
    await expect(page.getByTestId('handle-label-condition_1-true').innerText()).resolves.toBe('True');
    await expect(page.getByTestId('handle-label-condition_1-false').innerText()).resolves.toBe('False');
    await expect(page.getByTestId('handle-label-condition_1-in').innerText()).resolves.toBe('Input');
    // The dot stays small; the handle around it, where a connection starts or drops, is at least 16 px.
    const handleWidth = await page.evaluate<string>(`getComputedStyle(document.querySelector('.svelte-flow__handle[data-nodeid="condition_1"][data-handleid="true"]')).width`);
    expect(parseFloat(handleWidth)).toBeGreaterThanOrEqual(16);

    await selectNode(page, 'condition_1');
    const addRule = page.getByRole('button', { name: '+ Add rule' });
    await addRule.click();
    await rule(page, 1, 'value').fill('{{ input.amount }}');
    await rule(page, 1, 'operator').selectOption('greaterThan');
    await rule(page, 1, 'compared with').fill('1000');
    await addRule.click();
    await rule(page, 2, 'value').fill('{{ input.note }}');
    await rule(page, 2, 'operator').selectOption('isEmpty');
    await rule(page, 2, 'compared with').waitFor({ state: 'detached' });
    await addRule.click();
    await page.getByRole('button', { name: 'Remove rule 3' }).click();
    await rule(page, 3, 'value').waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Move rule 2 up' }).click();
    await page.selectOption('[id="field-condition_1-config.combine"]', 'any');
    await harness.screenshot('rule-editor');

    await page.getByTestId('save').click();
    await page.getByTestId('editor-notice').filter({ hasText: 'Saved.' }).waitFor();
    const workflowId = new URL(page.url()).pathname.split('/').pop();
    const saved = await harness.api.request<{ graph: { nodes: { id: string; data: { config: unknown } }[] } }>('GET', `/api/v1/workflows/${workflowId}`, { token: await browserToken(page) });
    expect(saved.body.graph.nodes.find((node) => node.id === 'condition_1')?.data.config).toEqual({
      combine: 'any',
      rules: [
        { left: '{{ input.note }}', operator: 'isEmpty' },
        { left: '{{ input.amount }}', operator: 'greaterThan', right: 1000 },
      ],
    });

    await page.getByTestId('publish').click();
    await page.getByTestId('editor-notice').filter({ hasText: 'Published version 1.' }).waitFor();
    await page.getByTestId('run-tab').click();
    // The note is not empty, the amount is over 1000: with "any", one rule holding takes the True branch.
    await page.fill('#run-inputs', '{"amount": 1500, "note": "rush"}');
    await page.getByTestId('run').click();
    await page.getByTestId('run-state').filter({ hasText: 'succeeded' }).waitFor({ timeout: 60_000 });
    await page.locator('[data-testid="node-end_1"][data-status="succeeded"]').waitFor();
    await page.locator('[data-testid="node-end_2"][data-status="skipped"]').waitFor();

    await page.reload();
    await page.getByTestId('node-condition_1').waitFor();
    await selectNode(page, 'condition_1');
    await expect(rule(page, 1, 'operator').inputValue()).resolves.toBe('isEmpty');
    await expect(rule(page, 1, 'value').inputValue()).resolves.toBe('{{ input.note }}');
    await expect(rule(page, 1, 'compared with').count()).resolves.toBe(0);
    await expect(rule(page, 2, 'operator').inputValue()).resolves.toBe('greaterThan');
    await expect(rule(page, 2, 'compared with').inputValue()).resolves.toBe('1000');
    await expect(page.locator('[id="field-condition_1-config.combine"]').inputValue()).resolves.toBe('any');
    expect(harness.pageErrors).toEqual([]);
  });
});
