import { startHttpFixture, type HttpFixture } from '../../../../test/http-fixture';
import { ApiClient, type TokenStore } from './api-client';
import { EarlyResponses } from './early-responses';
import { firstRequestsOf } from './first-requests';

/** An access token store of its own per test, like the app's memoryTokenStore. */
function memoryTokens(initial: string | null): TokenStore {
  let token = initial;
  return { read: () => token, write: (next) => void (token = next) };
}

describe('early responses', () => {
  let server: HttpFixture;
  const seen: string[] = [];
  const refreshBodies: string[] = [];

  beforeAll(async () => {
    server = await startHttpFixture();
    server.route('/api/v1/workflows/w1', (request, response, hit) => {
      seen.push(`${request.headers.authorization} ${request.headers['x-kai-workspace'] ?? '-'}`);
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id: 'w1', hit }));
    });
    server.route('/api/v1/auth/refresh', (request, response) => {
      // The canvas sends no token: the browser adds the httpOnly cookie, which this fixture takes on trust.
      refreshBodies.push(request.headers['content-length'] ?? '0');
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ accessToken: 'fresh' }));
    });
    server.route('/api/v1/private', (request, response, hit) => {
      if (request.headers.authorization === 'Bearer fresh') response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ hit }));
      else response.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code: 'unauthorized', message: 'expired' } }));
    });
  });
  afterAll(() => server.close());
  beforeEach(() => (seen.length = 0));

  function clients(workspace: () => string | null, tokens = memoryTokens('a1')) {
    const early = new EarlyResponses();
    const options = { baseUrl: server.url, tokens, workspaceId: workspace, onSignedOut: () => undefined, early };
    return { starter: new ApiClient(options), app: new ApiClient(options), tokens };
  }

  it('lets the app adopt a GET started before it loaded, once', async () => {
    const before = server.hits('/api/v1/workflows/w1');
    const { starter, app } = clients(() => 'ws1');
    void starter.prefetch('/workflows/w1');
    expect(await app.request('GET', '/workflows/w1')).toEqual({ id: 'w1', hit: before + 1 });
    expect(server.hits('/api/v1/workflows/w1')).toBe(before + 1);
    expect(seen).toEqual(['Bearer a1 ws1']);
    // A second read of the same resource is a new request: an early answer is adopted once.
    expect(await app.request('GET', '/workflows/w1')).toEqual({ id: 'w1', hit: before + 2 });
  });

  it('asks again when the session changed workspace after the early request started', async () => {
    let workspace: string | null = 'ws1';
    const { starter, app } = clients(() => workspace);
    void starter.prefetch('/workflows/w1');
    workspace = 'ws2';
    await app.request('GET', '/workflows/w1');
    expect(seen).toEqual(['Bearer a1 ws1', 'Bearer a1 ws2']);
  });

  it('leaves a 401 to the adopting client, which refreshes once and retries', async () => {
    const { starter, app, tokens } = clients(() => null);
    void starter.prefetch('/private');
    expect(await app.request('GET', '/private')).toEqual({ hit: expect.any(Number) });
    expect(tokens.read()).toBe('fresh');
    expect(refreshBodies.at(-1)).toBe('0');
  });

  it('restores a session from the refresh cookie once, however many clients of the store ask', async () => {
    const { starter, app, tokens } = clients(() => null, memoryTokens(null));
    const before = server.hits('/api/v1/auth/refresh');
    expect(await Promise.all([starter.restore(), app.restore()])).toEqual([true, true]);
    expect(server.hits('/api/v1/auth/refresh')).toBe(before + 1);
    expect(tokens.read()).toBe('fresh');
    expect(await app.restore()).toBe(true);
    expect(server.hits('/api/v1/auth/refresh')).toBe(before + 1);
  });

  it('starts a request that waits for others only once they have settled, and the app still adopts it', async () => {
    const { starter, app } = clients(() => 'ws1');
    let release: () => void = () => undefined;
    const before = server.hits('/api/v1/workflows/w1');
    void starter.prefetch('/workflows/w1', new Promise<void>((resolve) => (release = resolve)));
    const adopted = app.request('GET', '/workflows/w1');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(server.hits('/api/v1/workflows/w1')).toBe(before);
    release();
    expect(await adopted).toEqual({ id: 'w1', hit: before + 1 });
    expect(server.hits('/api/v1/workflows/w1')).toBe(before + 1);
  });

  it('does not adopt an early answer for a request other than GET', async () => {
    const { starter, app } = clients(() => null);
    void starter.prefetch('/workflows/w1');
    await expect(app.request('DELETE', '/workflows/w1')).resolves.toEqual({ id: 'w1', hit: expect.any(Number) });
    expect(seen).toHaveLength(2);
  });
});

describe('first requests of a page', () => {
  it('loads the editor data, then who is signed in', () => {
    expect(firstRequestsOf('/workflows/a%2Fb')).toEqual({ page: ['/workflows/a%2Fb', '/nodes', '/nodes/categories'], then: ['/auth/me'] });
  });

  it('loads only who is signed in elsewhere', () => {
    expect(firstRequestsOf('/workflows')).toEqual({ page: [], then: ['/auth/me'] });
    expect(firstRequestsOf('/workflows/w1/triggers')).toEqual({ page: [], then: ['/auth/me'] });
  });
});
