import type { ApiResponse } from '../test/api-harness';
import { createRouteFixtures, namedRoutes, pathParamNames, routeKey, sampleBodyKeys, type RouteFixtures } from '../test/route-fixtures';
import { apiRoutes } from './routes';

/**
 * Every route of the route list, three ways: without a token, as a user of another workspace, and as a viewer of
 * the workspace that holds the resources. New routes are covered as soon as they are in `apiRoutes`.
 */

let fixtures: RouteFixtures;
beforeAll(async () => {
  fixtures = await createRouteFixtures();
}, 120_000);
afterAll(() => fixtures?.close());

function expectErrorShape(response: ApiResponse, status: number, code: string) {
  expect({ status: response.status, body: response.body }).toEqual({
    status,
    body: { error: { code, message: expect.any(String), details: expect.any(Array) } },
  });
}

test('every sample body in test/route-fixtures.ts belongs to a route that exists', () => {
  const routes = new Set(apiRoutes.map(routeKey));
  expect(sampleBodyKeys().filter((key) => !routes.has(key))).toEqual([]);
});

describe('without a token', () => {
  test.each(namedRoutes(apiRoutes.filter((route) => route.access !== 'public')))('%s answers 401', async (_key, route) => {
    const response = await fixtures.call(route, { body: await fixtures.sampleBody(route) });
    expectErrorShape(response, 401, 'unauthorized');
    expect(response.headers.get('www-authenticate')).toBe('Bearer');
  });

  test.each(namedRoutes(apiRoutes.filter((route) => route.access === 'public')))('%s (public) answers without one', async (_key, route) => {
    const response = await fixtures.call(route, { body: await fixtures.sampleBody(route) });
    expect({ status: response.status, text: response.text }).toEqual({ status: route.status ?? 200, text: expect.any(String) });
  });
});

describe("as a user of another workspace, on the first workspace's resources", () => {
  const resourceRoutes = apiRoutes.filter((route) => route.access !== 'public' && pathParamNames(route).length > 0);

  test.each(namedRoutes(resourceRoutes))('%s answers 404 (never 403) and names nothing', async (_key, route) => {
    const params = await fixtures.paramsOf(route);
    const response = await fixtures.call(route, { token: fixtures.stranger.token, body: await fixtures.sampleBody(route) });
    if (!Object.values(params).some((param) => param.ownedByWorkspace)) {
      // Only global params (a node type): nothing of the other workspace is involved, so it is simply allowed.
      expect(response.status).toBeLessThan(300);
      return;
    }
    expectErrorShape(response, 404, 'not_found');
    for (const name of fixtures.resourceNames()) expect(response.text).not.toContain(name);
  });

  test.each(namedRoutes(apiRoutes.filter((route) => route.access !== 'public')))('%s answers 404 when X-Kai-Workspace names that workspace', async (_key, route) => {
    const response = await fixtures.call(route, {
      token: fixtures.stranger.token,
      headers: { 'x-kai-workspace': fixtures.owner.workspaceId },
      body: await fixtures.sampleBody(route),
    });
    expectErrorShape(response, 404, 'not_found');
    expect(response.text).not.toContain(fixtures.owner.workspaceId);
  });
});

describe('as a viewer of the workspace', () => {
  const writeRoutes = apiRoutes.filter((route) => route.access === 'editor' || route.access === 'owner');
  const readRoutes = apiRoutes.filter((route) => route.access === 'viewer' || route.access === 'signedIn');

  test.each(namedRoutes(writeRoutes))('%s answers 403', async (_key, route) => {
    const response = await fixtures.call(route, { ...fixtures.viewer, body: await fixtures.sampleBody(route) });
    expectErrorShape(response, 403, 'forbidden');
  });

  test.each(namedRoutes(readRoutes))('%s is allowed', async (_key, route) => {
    const response = await fixtures.call(route, { ...fixtures.viewer, body: await fixtures.sampleBody(route) });
    expect({ status: response.status, text: response.text }).toEqual({ status: route.status ?? 200, text: expect.any(String) });
  });
});
