import type { Locator } from 'playwright-core';
import { waitFor } from '../../test/wait-for';
import { selectNode, setAutosave, signedInCanvas } from './canvas-harness';

/**
 * Issue 15: template fields offer references to what the node may read as it is typed, write the chosen one at the
 * caret, and preview the value resolved over the upstream node's pinned output, in the browser under the CSP.
 */
describe('canvas: expression editor', () => {
  const session = signedInCanvas();
  const pinned = { status: 200, body: { id: 42, title: 'Ada' } };
  const graph = {
    nodes: [
      { id: 'start', type: 'start', version: 1, position: { x: 0, y: 100 } },
      { id: 'fetch', type: 'http-request', version: 1, position: { x: 250, y: 100 }, data: { config: { url: 'https://example.com/a' } }, pinned: { output: pinned } },
      { id: 'notify', type: 'http-request', version: 1, position: { x: 500, y: 0 }, data: { config: { url: 'https://example.com/items/?q=1' } } },
      { id: 'shape', type: 'set', version: 1, position: { x: 500, y: 200 }, data: { config: { values: {} } } },
      { id: 'calc', type: 'transform', version: 1, position: { x: 500, y: 400 }, data: { config: {} } },
    ],
    edges: [
      { id: 'e1', source: 'start', target: 'fetch' },
      { id: 'e2', source: 'fetch', target: 'notify' },
      { id: 'e3', source: 'fetch', target: 'shape' },
      { id: 'e4', source: 'fetch', target: 'calc' },
    ],
  };

  const field = (node: string, path: string) => session.harness.page.locator(`[id="field-${node}-config.${path}"]`);
  const preview = (node: string, path: string) => session.harness.page.getByTestId(`field-${node}-config.${path}`).getByTestId('template-preview');
  // The e2e files are type-checked without the DOM's types: the text field is described by what is used of it.
  type TextField = { selectionStart: number; setSelectionRange(start: number, end: number): void };
  const caretOf = (input: Locator) => input.evaluate((element: TextField) => element.selectionStart);
  const putCaret = (input: Locator, at: number) => input.evaluate((element: TextField, caret) => element.setSelectionRange(caret, caret), at);

  beforeAll(async () => {
    const { harness, token } = session;
    const created = await harness.api.request('POST', '/api/v1/workflows', { token, body: { name: `expressions ${Date.now()}`, graph } });
    expect(created.status).toBe(201);
    await harness.page.goto(`${harness.api.url}/workflows/${created.body.id}`);
    await harness.page.getByTestId('palette').waitFor();
    await setAutosave(harness.page, false);
  });

  it('autocompletes a reference typed after {{, inserting it at the caret, and previews the resolved value', async () => {
    const { page } = session.harness;
    await selectNode(page, 'notify');
    const url = field('notify', 'url');
    await url.click();
    await putCaret(url, 'https://example.com/items/'.length);
    await page.keyboard.type('{{ bo');

    const list = page.getByRole('listbox', { name: 'References' });
    await list.waitFor();
    await expect(url.getAttribute('aria-expanded')).resolves.toBe('true');
    const options = list.getByRole('option');
    await expect(options.allInnerTexts()).resolves.toEqual([
      expect.stringContaining('nodes.fetch.output.body'),
      expect.stringContaining('nodes.fetch.output.body.id'),
      expect.stringContaining('nodes.fetch.output.body.title'),
    ]);
    await page.keyboard.press('ArrowDown');
    await expect(url.getAttribute('aria-activedescendant')).resolves.toBe(await options.nth(1).getAttribute('id'));
    await expect(options.nth(1).getAttribute('aria-selected')).resolves.toBe('true');
    await expect(options.nth(1).innerText()).resolves.toContain('42');
    await page.keyboard.press('Enter');

    const inserted = 'https://example.com/items/{{ nodes.fetch.output.body.id }}';
    await expect(url.inputValue()).resolves.toBe(`${inserted}?q=1`);
    await expect(caretOf(url)).resolves.toBe(inserted.length);
    await list.waitFor({ state: 'detached' });
    await preview('notify', 'url').filter({ hasText: 'https://example.com/items/42?q=1' }).waitFor();
    await session.harness.screenshot('expression-editor');

    // The canvas holds the inserted text: a save stores it.
    await page.getByTestId('save').click();
    await page.getByTestId('editor-notice').filter({ hasText: 'Saved' }).waitFor();
    const workflowId = new URL(page.url()).pathname.split('/').pop();
    const saved = await session.harness.api.request('GET', `/api/v1/workflows/${workflowId}`, { token: session.token });
    expect(saved.body.graph.nodes.find((node: { id: string }) => node.id === 'notify').data.config.url).toBe(`${inserted}?q=1`);
  });

  it('opens the references with Ctrl+Space in a multi-line JSON field, takes a click, and closes on Escape', async () => {
    const { page } = session.harness;
    await selectNode(page, 'shape');
    const values = field('shape', 'values');
    await values.fill('{\n  "title": "Dr ",\n  "n": 1\n}');
    await putCaret(values, '{\n  "title": "Dr '.length);
    await page.keyboard.press('Control+Space');
    const list = page.getByRole('listbox', { name: 'References' });
    await list.getByRole('option').filter({ hasText: 'nodes.fetch.output.body.title' }).click();

    const inserted = '{\n  "title": "Dr {{ nodes.fetch.output.body.title }}';
    await expect(values.inputValue()).resolves.toBe(`${inserted}",\n  "n": 1\n}`);
    await expect(caretOf(values)).resolves.toBe(inserted.length);
    await preview('shape', 'values').filter({ hasText: '"title": "Dr Ada"' }).waitFor();

    await page.keyboard.type(' {{');
    await list.waitFor();
    await page.keyboard.press('Escape');
    await list.waitFor({ state: 'detached' });
    await expect(values.getAttribute('aria-expanded')).resolves.toBe('false');
  });

  it('inserts a field dragged from the upstream output where it is dropped', async () => {
    const { page } = session.harness;
    // The Set's form is short: its field and the upstream data are on screen together, as a drag needs.
    await selectNode(page, 'shape');
    const values = field('shape', 'values');
    await values.fill('is the title');
    const title = page.getByTestId('upstream-fetch').locator('.key', { hasText: 'title:' });
    const box = await values.boundingBox();
    // Dropped before the first character, then below the last line (the text wraps), past its end.
    await title.dragTo(values, { targetPosition: { x: 3, y: 8 } });
    const template = '{{ nodes.fetch.output.body.title }}';
    await expect(values.inputValue()).resolves.toBe(`${template}is the title`);
    await title.dragTo(values, { targetPosition: { x: box!.width - 20, y: box!.height - 6 } });
    await expect(values.inputValue()).resolves.toBe(`${template}is the title${template}`);
    await preview('shape', 'values').filter({ hasText: 'Adais the titleAda' }).waitFor();

    // A Transform's expression is JSONata: the dropped field becomes a $ variable there.
    await selectNode(page, 'calc');
    const expression = field('calc', 'expression');
    await page.getByTestId('upstream-fetch').locator('.key', { hasText: 'id:' }).dragTo(expression, { targetPosition: { x: 3, y: 8 } });
    await expect(expression.inputValue()).resolves.toBe('$nodes.fetch.output.body.id');
    await preview('calc', 'expression').filter({ hasText: '42' }).waitFor();
    // Dropped into a field without the focus, it is still the node's value once the field is left.
    await page.locator('#node-label').click();
    await page.getByTestId('save').click();
    const workflowId = new URL(page.url()).pathname.split('/').pop();
    await waitFor('the dropped expression saved', async () => {
      const saved = await session.harness.api.request('GET', `/api/v1/workflows/${workflowId}`, { token: session.token });
      return saved.body.graph.nodes.find((node: { id: string }) => node.id === 'calc').data.config.expression === '$nodes.fetch.output.body.id';
    });
  });

  it('previews JSONata with the engine, and says when a test run is needed', async () => {
    const { page } = session.harness;
    await selectNode(page, 'notify');
    const url = field('notify', 'url');
    await url.fill('https://example.com/{{= $nodes.fetch.output.body.id * 2 }}');
    await preview('notify', 'url').filter({ hasText: 'https://example.com/84' }).waitFor();
    await url.fill('https://example.com/{{ input.city }}');
    await preview('notify', 'url').filter({ hasText: 'run a test to preview' }).waitFor();
    expect(session.harness.pageErrors).toEqual([]);
  });
});
