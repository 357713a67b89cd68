import { HARNESS_START_MS, browserToken, signUpInBrowser, startCanvasHarness, type CanvasHarness } from './canvas-harness';

/** Wall-clock parts of an instant in a time zone, read by Intl (not by the code under test). */
function wallClock(iso: string, timeZone: string): { weekday: string; time: string } {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(new Date(iso));
  const part = (type: string) => parts.find((candidate) => candidate.type === type)?.value ?? '';
  return { weekday: part('weekday'), time: `${part('hour')}:${part('minute')}` };
}

/** Credentials page, and a workflow's triggers: the webhook's URL and token, a schedule with its next-fire preview. */
describe('canvas: credentials, triggers and version history', () => {
  let harness: CanvasHarness;

  beforeAll(async () => {
    harness = await startCanvasHarness();
    await signUpInBrowser(harness);
  }, HARNESS_START_MS);

  afterAll(() => harness?.close());

  it('creates a credential whose secret is never shown again', async () => {
    const { page, api } = harness;
    await page.getByRole('link', { name: 'Credentials', exact: true }).click();
    await page.getByTestId('empty-state').filter({ hasText: 'No credentials yet' }).waitFor();
    await page.getByTestId('new-credential').click();
    await page.fill('#credential-name', 'Partner API');
    await page.selectOption('#credential-kind', 'http_bearer');
    await page.fill('#credential-token', 'tok-very-secret-123');
    await page.getByRole('button', { name: 'Create credential' }).click();
    const row = page.getByTestId('credential-row').filter({ hasText: 'Partner API' });
    await row.filter({ hasText: 'HTTP Bearer token' }).filter({ hasText: 'token: •••• stored' }).waitFor();
    expect(await page.content()).not.toContain('tok-very-secret-123');

    await row.getByRole('button', { name: 'Edit / rotate' }).click();
    await page.getByTestId('credential-edit').locator('input').first().fill('Partner API (prod)');
    await page.getByTestId('credential-edit').getByRole('button', { name: 'Save' }).click();
    await page.getByTestId('credential-row').filter({ hasText: 'Partner API (prod)' }).waitFor();

    const listed = await api.request('GET', '/api/v1/credentials', { token: await browserToken(page) });
    expect(listed.body).toEqual([expect.objectContaining({ name: 'Partner API (prod)', kind: 'http_bearer', publicData: {}, secretFields: ['token'] })]);
    expect(JSON.stringify(listed.body)).not.toContain('tok-very-secret-123');
    expect(harness.pageErrors).toEqual([]);
  });

  it("shows the webhook's URL and token, and creates a schedule whose preview matches Temporal's fire times", async () => {
    const { page, api } = harness;
    const token = await browserToken(page);
    const graph = {
      nodes: [
        { id: 'hook', type: 'webhook', version: 1, data: { config: {} }, position: { x: 0, y: 0 } },
        { id: 'done', type: 'end', version: 1, position: { x: 300, y: 0 } },
        // Schedules begin at a Start (or Schedule) node; a graph may have both kinds of entry.
        { id: 'start', type: 'start', version: 1, position: { x: 0, y: 200 } },
        { id: 'scheduled', type: 'end', version: 1, position: { x: 300, y: 200 } },
      ],
      edges: [
        { id: 'e1', source: 'hook', target: 'done' },
        { id: 'e2', source: 'start', target: 'scheduled' },
      ],
    };
    const created = await api.request('POST', '/api/v1/workflows', { token, body: { name: 'Hooked', graph } });
    expect(created.status).toBe(201);
    expect((await api.request('POST', `/api/v1/workflows/${created.body.id}/versions`, { token, body: {} })).status).toBe(201);
    const [hook] = (await api.request('GET', `/api/v1/webhooks?workflowId=${created.body.id}`, { token })).body;

    await page.goto(`${api.url}/workflows/${created.body.id}`);
    await page.getByTestId('open-triggers').click();
    await expect(page.getByTestId('webhook-url').innerText()).resolves.toBe(hook.url);
    await expect(page.getByTestId('curl-example').innerText()).resolves.toContain('Authorization: Bearer <secret>');
    await page.getByTestId('reveal-secret').click();
    const secret = await page.getByTestId('webhook-secret').innerText();
    expect(secret).toBe((await api.request('GET', `/api/v1/webhooks/${hook.id}/secret`, { token })).body.secret);
    await expect(page.getByTestId('curl-example').innerText()).resolves.toContain(`Authorization: Bearer ${secret}`);

    await page.getByTestId('empty-state').filter({ hasText: 'No schedules' }).waitFor();
    await page.getByTestId('new-schedule').click();
    await page.fill('#schedule-name', 'Tokyo mornings');
    await page.fill('#schedule-timezone', 'Asia/Tokyo');
    await page.fill('#schedule-cron', '61 9 * * MON-FRI');
    await expect(page.getByTestId('fire-problem').innerText()).resolves.toMatch(/^minute: "61"/);
    await page.fill('#schedule-cron', '30 9 * * MON-FRI');
    const preview = page.getByTestId('fire-time');
    await expect(preview.count()).resolves.toBe(5);
    const previewed = await preview.evaluateAll((items) => items.map((item) => item.getAttribute('data-at') ?? ''));
    for (const at of previewed) {
      const { weekday, time } = wallClock(at, 'Asia/Tokyo');
      expect(time).toBe('09:30');
      expect(['Mon', 'Tue', 'Wed', 'Thu', 'Fri']).toContain(weekday);
    }
    await harness.screenshot('schedule-editor');
    await page.getByTestId('save-schedule').click();

    const card = page.getByTestId('schedule-Tokyo mornings');
    await page.locator('[data-testid="schedule-Tokyo mornings"], [data-testid="error"]').first().waitFor();
    expect(await page.getByTestId('error').allInnerTexts()).toEqual([]);
    await card.getByTestId('schedule-state').filter({ hasText: 'active' }).waitFor();
    const [schedule] = (await api.request('GET', `/api/v1/schedules?workflowId=${created.body.id}`, { token })).body;
    expect(schedule.spec).toMatchObject({ cron: ['30 9 * * MON-FRI'], timezone: 'Asia/Tokyo' });
    expect(schedule.info.nextFireTimes.slice(0, 5).map((at: string) => new Date(at).toISOString())).toEqual(previewed);

    await card.getByLabel('Note').fill('holiday week');
    await card.getByTestId('toggle-pause').click();
    await card.getByTestId('schedule-state').filter({ hasText: 'paused' }).waitFor();
    await card.filter({ hasText: 'Note: holiday week' }).waitFor();
    const paused = (await api.request('GET', `/api/v1/schedules/${schedule.id}`, { token })).body;
    expect(paused.state).toMatchObject({ paused: true, note: 'holiday week' });
    expect(harness.pageErrors).toEqual([]);
  });

  it('opens a published version read-only and restores it into the draft', async () => {
    const { page, api } = harness;
    const token = await browserToken(page);
    const node = (id: string, type: string, x: number) => ({ id, type, version: 1, position: { x, y: 0 } });
    const created = await api.request('POST', '/api/v1/workflows', { token, body: { name: 'Versioned', graph: { nodes: [node('start', 'start', 0), node('end', 'end', 300)], edges: [{ id: 'e1', source: 'start', target: 'end' }] } } });
    const id = created.body.id;
    expect((await api.request('POST', `/api/v1/workflows/${id}/versions`, { token, body: {} })).status).toBe(201);
    const changed = await api.request('PATCH', `/api/v1/workflows/${id}`, { token, body: { graph: { nodes: [node('start', 'start', 0), node('finish', 'end', 300)], edges: [{ id: 'e1', source: 'start', target: 'finish' }] } } });
    expect(changed.status).toBe(200);

    await page.goto(`${api.url}/workflows/${id}/versions`);
    await page.getByTestId('opened-version').filter({ hasText: 'v1, read-only' }).waitFor();
    await page.getByTestId('node-end').waitFor();
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByTestId('restore-version').click();
    await page.getByTestId('version-notice').waitFor();
    const draft = (await api.request('GET', `/api/v1/workflows/${id}`, { token })).body;
    expect(draft.graph.nodes.map((saved: { id: string }) => saved.id).sort()).toEqual(['end', 'start']);
    expect(harness.pageErrors).toEqual([]);
  });

  it('creates, searches and deletes a vector collection', async () => {
    const { page, api } = harness;
    await page.getByRole('link', { name: 'Collections', exact: true }).click();
    await page.getByTestId('empty-state').filter({ hasText: 'No vector collections yet' }).waitFor();
    await page.getByTestId('new-collection').click();
    await page.fill('#collection-name', 'handbook');
    await page.selectOption('#collection-metric', 'l2');
    await page.getByRole('button', { name: 'Create collection' }).click();
    const row = page.getByTestId('collection-row').filter({ hasText: 'handbook' });
    await row.filter({ hasText: 'Euclidean (L2)' }).waitFor();
    const [stored] = (await api.request('GET', '/api/v1/collections', { token: await browserToken(page) })).body;
    expect(stored).toMatchObject({ name: 'handbook', dimension: 384, metric: 'l2', count: 0 });

    await row.getByRole('button', { name: 'Inspect & search' }).click();
    await page.getByLabel('Search text').fill('holiday policy');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.getByText('the collection is empty').waitFor();

    page.once('dialog', (dialog) => void dialog.accept());
    await row.getByRole('button', { name: 'Delete' }).click();
    await page.getByTestId('empty-state').filter({ hasText: 'No vector collections yet' }).waitFor();
    expect(harness.pageErrors).toEqual([]);
  });
});
