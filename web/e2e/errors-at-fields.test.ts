import { HARNESS_START_MS, browserToken, dragFromPalette, selectNode, setAutosave, signUpInBrowser, startCanvasHarness, type CanvasHarness } from './canvas-harness';

/** Issue 15: errors are shown in words at the field they concern, once, and forms check their fields as they are filled. */
describe('canvas: errors at their fields', () => {
  let harness: CanvasHarness;

  beforeAll(async () => {
    harness = await startCanvasHarness();
  }, HARNESS_START_MS);

  afterAll(() => harness?.close());

  /** No raw validation text anywhere on the page: field paths, codes, zod's wording. */
  async function expectNoRawText(): Promise<void> {
    const lines = (await harness.page.locator('body').innerText()).split('\n');
    const raw = [/\bbody\.\w/, /validation_failed/, /invalid body/, /Invalid input/, /\(400/];
    expect(lines.filter((line) => raw.some((pattern) => pattern.test(line)))).toEqual([]);
  }

  it('shows a refused sign-up at the password field, in words, once', async () => {
    const { page, api } = harness;
    await page.goto(api.url);
    await page.getByRole('button', { name: 'No account yet? Sign up' }).click();
    await page.fill('#email', `short-${Date.now()}@example.com`);
    await page.fill('#password', 'too short');
    await page.getByRole('button', { name: 'Sign up', exact: true }).click();
    await page.getByTestId('field-problem').filter({ hasText: 'Password must be at least 10 characters' }).waitFor();
    expect(await page.getByTestId('field-problem').count()).toBe(1);
    expect(await page.getByTestId('error').count()).toBe(0);
    await expectNoRawText();
  });

  it('shows a refused credential at its field', async () => {
    const { page } = harness;
    await signUpInBrowser(harness);
    await page.goto(`${harness.api.url}/credentials`);
    await page.getByTestId('new-credential').click();
    await page.fill('#credential-name', 'Partner API');
    await page.selectOption('#credential-kind', 'http_bearer');
    await page.getByRole('button', { name: 'Create credential' }).click();
    await page.getByTestId('field-problem').filter({ hasText: 'is required' }).waitFor();
    await expectNoRawText();
  });

  it('checks node fields against their schema while they are filled, before any save', async () => {
    const { page, api } = harness;
    const token = await browserToken(page);
    const created = await api.request('POST', '/api/v1/workflows', { token, body: { name: `fields ${Date.now()}` } });
    await page.goto(`${api.url}/workflows/${created.body.id}`);
    await page.getByTestId('palette').waitFor();
    await setAutosave(page, false);
    await dragFromPalette(page, 'http-request', { x: 450, y: 250 });
    await selectNode(page, 'http_request_1');
    const field = (path: string) => page.getByTestId(`field-http_request_1-${path}`);

    await page.locator('[id="field-http_request_1-config.url"]').focus();
    await page.locator('[id="field-http_request_1-config.headers"]').focus();
    await field('config.url').getByTestId('field-problem').filter({ hasText: 'Url is required' }).waitFor();

    await page.getByText('Reliability').click();
    await page.fill('[id="field-http_request_1-retry.maximumAttempts"]', 'abc');
    await field('retry.maximumAttempts').getByTestId('field-problem').filter({ hasText: 'Maximum attempts must be a whole number' }).waitFor();
    await page.fill('[id="field-http_request_1-retry.maximumAttempts"]', '0');
    await field('retry.maximumAttempts').getByTestId('field-problem').filter({ hasText: 'must be at least 1' }).waitFor();
    await page.fill('[id="field-http_request_1-retry.maximumAttempts"]', '3');
    await field('retry.maximumAttempts').getByTestId('field-problem').waitFor({ state: 'detached' });

    await page.fill('[id="field-http_request_1-config.headers"]', '{bad json');
    await field('config.headers').getByTestId('field-problem').filter({ hasText: 'Headers is not valid JSON' }).waitFor();
    // Saved as it is, the server's problem with the field is the same one: shown once, in words.
    await page.locator('[id="field-http_request_1-config.headers"]').blur();
    await page.getByTestId('save').click();
    await page.getByTestId('editor-notice').filter({ hasText: /Saved with \d+ problem/ }).waitFor();
    expect(await field('config.headers').getByTestId('field-problem').count()).toBe(1);
    await expectNoRawText();
    await page.fill('[id="field-http_request_1-config.headers"]', '{"accept": "application/json"}');
    // Changed since it was saved, the field no longer shows what the server said of the old value.
    await page.locator('[id="field-http_request_1-config.headers"]').blur();
    await field('config.headers').getByTestId('field-problem').waitFor({ state: 'detached' });

    await page.fill('[id="field-http_request_1-config.url"]', 'https://example.com');
    await field('config.url').getByTestId('field-problem').waitFor({ state: 'detached' });
    expect(harness.pageErrors).toEqual([]);
  });
});
