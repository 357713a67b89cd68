import { waitFor } from '../../test/wait-for';
import { HARNESS_START_MS, browserToken, signUpInBrowser, startCanvasHarness, type CanvasHarness } from './canvas-harness';

/** Acceptance 3: a run waits on an Approval node; the approve button on the node lets it finish. */
describe('canvas: approvals', () => {
  let harness: CanvasHarness;

  beforeAll(async () => {
    harness = await startCanvasHarness();
  }, HARNESS_START_MS);

  afterAll(() => harness?.close());

  it('shows approve on the waiting node and completes the run when it is clicked', async () => {
    const { page, api } = harness;
    await signUpInBrowser(harness);
    const token = await browserToken(page);
    const graph = {
      nodes: [
        { id: 'start', type: 'start', version: 1, position: { x: 0, y: 0 } },
        { id: 'review', type: 'approval', version: 1, data: { config: { message: 'Ship it?' } }, position: { x: 300, y: 0 } },
        { id: 'done', type: 'end', version: 1, position: { x: 600, y: 0 } },
      ],
      edges: [
        { id: 'e1', source: 'start', target: 'review' },
        { id: 'e2', source: 'review', sourceHandle: 'approved', target: 'done' },
      ],
    };
    const created = await api.request('POST', '/api/v1/workflows', { token, body: { name: 'Needs approval', graph } });
    expect(created.status).toBe(201);
    expect((await api.request('POST', `/api/v1/workflows/${created.body.id}/versions`, { token, body: {} })).status).toBe(201);

    await page.goto(`${api.url}/workflows/${created.body.id}`);
    await page.getByTestId('run-tab').click();
    await page.getByTestId('run').click();
    await page.locator('[data-testid="node-review"][data-status="waiting"]').waitFor({ timeout: 30_000 });
    const runLink = await page.getByTestId('run-state').locator('a').innerText();
    expect((await api.request('GET', `/api/v1/runs/${runLink}`, { token })).body.status).toBe('running');

    await page.getByTestId('approve-review').click();
    await page.locator('[data-testid="node-done"][data-status="succeeded"]').waitFor({ timeout: 30_000 });
    await page.getByTestId('run-state').filter({ hasText: 'succeeded' }).waitFor();
    await expect(page.getByTestId('approve-review').count()).resolves.toBe(0);
    // A finished run's node states come from a worker replaying its history: on a loaded machine the first answer
    // may say that no worker answered in time (nodes: null), which is a state to wait out, not the outcome.
    let run = (await api.request('GET', `/api/v1/runs/${runLink}`, { token })).body;
    await waitFor('the finished run to list its node states', async () => {
      run = (await api.request('GET', `/api/v1/runs/${runLink}`, { token })).body;
      return run.nodes !== null;
    });
    expect(run.status).toBe('succeeded');
    expect(run.nodes.find((node: { id: string }) => node.id === 'review')).toMatchObject({ status: 'succeeded', branch: 'approved' });
    expect(harness.pageErrors).toEqual([]);
  });
});
