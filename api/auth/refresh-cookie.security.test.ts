import { createApiHarness, type ApiHarness } from '../../test/api-harness';

/**
 * The canvas's refresh token is a cookie no script can read (httpOnly), no other site can send (SameSite=Strict),
 * only the auth routes receive (Path) and, over https, only an encrypted connection carries (Secure).
 */
let api: ApiHarness;

beforeAll(async () => {
  api = await createApiHarness();
}, 120_000);
afterAll(async () => {
  await api?.close();
});

interface Cookie {
  value: string;
  attributes: Map<string, string>;
}

/** The kai_refresh cookie an answer sets, with its attributes by lower-cased name. */
function refreshCookieOf(response: Response): Cookie | undefined {
  for (const header of response.headers.getSetCookie()) {
    const [pair, ...attributes] = header.split(';').map((part) => part.trim());
    const [name, value] = pair.split('=');
    if (name !== 'kai_refresh') continue;
    return { value, attributes: new Map(attributes.map((attribute) => [attribute.split('=')[0].toLowerCase(), attribute.split('=')[1] ?? ''])) };
  }
  return undefined;
}

async function post(path: string, init: { body?: unknown; cookie?: string; headers?: Record<string, string> } = {}): Promise<Response> {
  const headers: Record<string, string> = { ...init.headers };
  if (init.cookie) headers.cookie = `kai_refresh=${init.cookie}`;
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  return fetch(`${api.url}/api/v1/auth${path}`, { method: 'POST', headers, body: init.body === undefined ? undefined : JSON.stringify(init.body) });
}

const credentials = { email: `cookie-${Date.now()}@example.com`, password: 'correct horse battery staple' };

test('sign-up and sign-in set the refresh token as an httpOnly, SameSite=Strict cookie scoped to the auth routes', async () => {
  for (const answer of [await post('/signup', { body: credentials }), await post('/signin', { body: credentials })]) {
    const cookie = refreshCookieOf(answer);
    expect(cookie?.value).toMatch(/^kai_rt_/);
    expect(cookie?.attributes.has('httponly')).toBe(true);
    expect(cookie?.attributes.get('samesite')).toBe('Strict');
    expect(cookie?.attributes.get('path')).toBe('/api/v1/auth');
    expect(Number(cookie?.attributes.get('max-age'))).toBeGreaterThan(0);
    // Plain http on loopback: a Secure cookie would never come back.
    expect(cookie?.attributes.has('secure')).toBe(false);
  }
});

test('the cookie is Secure when the browser reached the service over https (through a TLS proxy)', async () => {
  const answer = await post('/signin', { body: credentials, headers: { 'x-forwarded-proto': 'https' } });
  expect(refreshCookieOf(answer)?.attributes.has('secure')).toBe(true);
});

test('a refresh through the cookie rotates the cookie and answers no refresh token in the body', async () => {
  const signedIn = refreshCookieOf(await post('/signin', { body: credentials }))!.value;
  const refreshed = await post('/refresh', { cookie: signedIn });
  expect(refreshed.status).toBe(200);
  const body = (await refreshed.json()) as Record<string, unknown>;
  expect(body.accessToken).toEqual(expect.any(String));
  expect(body).not.toHaveProperty('refreshToken');
  const next = refreshCookieOf(refreshed)!.value;
  expect(next).not.toBe(signedIn);
  expect((await fetch(`${api.url}/api/v1/auth/me`, { headers: { authorization: `Bearer ${body.accessToken}` } })).status).toBe(200);

  // The spent cookie again: the family is revoked and the answer clears the cookie.
  const reused = await post('/refresh', { cookie: signedIn });
  expect(reused.status).toBe(401);
  expect(refreshCookieOf(reused)?.value).toBe('');
  expect((await post('/refresh', { cookie: next })).status).toBe(401);
});

test('a client without cookies still refreshes with the token in the body, and gets the next one there', async () => {
  const session = (await (await post('/signin', { body: credentials })).json()) as { refreshToken: string };
  const refreshed = await post('/refresh', { body: { refreshToken: session.refreshToken } });
  expect(refreshed.status).toBe(200);
  expect(((await refreshed.json()) as { refreshToken?: string }).refreshToken).toMatch(/^kai_rt_/);
});

test('no refresh token at all is a 401 naming both ways to send one', async () => {
  const answer = await post('/refresh');
  expect(answer.status).toBe(401);
  expect(((await answer.json()) as { error: { message: string } }).error.message).toMatch(/kai_refresh cookie or refreshToken/);
});

test('sign-out through the cookie revokes it and clears the cookie', async () => {
  const cookie = refreshCookieOf(await post('/signin', { body: credentials }))!.value;
  const signedOut = await post('/signout', { cookie });
  expect(signedOut.status).toBe(204);
  expect(refreshCookieOf(signedOut)?.value).toBe('');
  expect((await post('/refresh', { cookie })).status).toBe(401);
});
