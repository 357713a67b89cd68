import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { HARNESS_START_MS, browserToken, signUpInBrowser, startCanvasHarness, type CanvasHarness } from './canvas-harness';

const EXAMPLES = join(__dirname, '../../examples');

/** Issue 15: the repository's own examples/*.json (bare graphs, not export documents) import from the workflow list. */
describe('canvas: importing a bare graph', () => {
  let harness: CanvasHarness;

  beforeAll(async () => {
    harness = await startCanvasHarness();
    await signUpInBrowser(harness);
  }, HARNESS_START_MS);

  afterAll(() => harness?.close());

  it('imports every examples/*.json file as a workflow named after it, and opens one on the canvas', async () => {
    const { page } = harness;
    const files = readdirSync(EXAMPLES, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.json'));
    expect(files.length).toBeGreaterThanOrEqual(7);
    for (const file of files) {
      const name = basename(file, '.json');
      await page.locator('label.import input[type="file"]').setInputFiles(join(EXAMPLES, file));
      await page.getByTestId('workflow-row').getByRole('link', { name, exact: true }).waitFor();
    }

    const token = await browserToken(page);
    const listed = await harness.api.request('GET', '/api/v1/workflows?limit=50', { token });
    expect(listed.body.items.map((item: { name: string }) => item.name).sort()).toEqual(files.map((file) => basename(file, '.json')).sort());

    const diamond = JSON.parse(readFileSync(join(EXAMPLES, 'diamond-condition.json'), 'utf8')) as { nodes: { id: string }[] };
    await page.getByRole('link', { name: 'diamond-condition', exact: true }).click();
    for (const node of diamond.nodes) await page.getByTestId(`node-${node.id}`).waitFor();
    expect(harness.pageErrors).toEqual([]);
  });
});
