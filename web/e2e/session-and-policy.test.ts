import { HARNESS_START_MS, signUpInBrowser, startCanvasHarness, type CanvasHarness } from './canvas-harness';

/**
 * The canvas keeps no token where a script could read it after the fact: the access token lives in memory, the
 * refresh token in an httpOnly cookie, and a reload signs back in through that cookie. All of it, and the API docs,
 * under the server's Content-Security-Policy.
 */
describe('canvas: session and content policy', () => {
  let harness: CanvasHarness;

  beforeAll(async () => {
    harness = await startCanvasHarness();
  }, HARNESS_START_MS);

  afterAll(() => harness?.close());

  it('keeps no token in storage or readable cookies, and a reload signs back in through the refresh cookie', async () => {
    const { page, api } = harness;
    await signUpInBrowser(harness);
    // Evaluated in the page, as text: this file is type-checked without the DOM's types.
    const readable = await page.evaluate<string>(`JSON.stringify([document.cookie, { ...localStorage }, { ...sessionStorage }])`);
    expect(readable).not.toMatch(/kai_rt_|eyJ/);
    // Asked for the URL the cookie is scoped to: the page's own URL does not get it.
    const authUrl = `${api.url}/api/v1/auth/refresh`;
    expect(await page.context().cookies(api.url)).toEqual([]);
    const cookies = await page.context().cookies(authUrl);
    expect(cookies.map(({ name, httpOnly, sameSite, path }) => ({ name, httpOnly, sameSite, path }))).toEqual([
      { name: 'kai_refresh', httpOnly: true, sameSite: 'Strict', path: '/api/v1/auth' },
    ]);

    await page.reload();
    await page.getByRole('heading', { name: 'Workflows', exact: true }).waitFor();

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'No account yet? Sign up' }).waitFor();
    expect(await page.context().cookies(authUrl)).toEqual([]);
    await page.reload();
    await page.getByRole('button', { name: 'No account yet? Sign up' }).waitFor();
    expect(harness.pageErrors).toEqual([]);
  });

  it('renders the API docs under the policy', async () => {
    const { page, api } = harness;
    await page.goto(`${api.url}/api/docs`);
    // Swagger UI's bundle and the whole document load first: slow on a busy machine.
    await page.locator('.swagger-ui .info .title', { hasText: 'KAI-Fusion' }).waitFor({ timeout: 90_000 });
    await page.locator('.opblock-tag', { hasText: 'Auth' }).first().waitFor();
    expect(harness.pageErrors).toEqual([]);
  }, 120_000);
});
