import { randomBytes } from 'node:crypto';
import type { ApiResponse, RequestOptions } from '../test/api-harness';
import { createRouteFixtures, routeKey, sampleBodyKeys, type RouteFixtures } from '../test/route-fixtures';
import { AccessTokens } from './auth/access-tokens';
import { API_KEY_SCOPES, DEFAULT_API_KEY_SCOPES, type ApiKeyScope } from '../contract/api-keys';
import type { AnyRoute } from './http/define-route';
import { API_BASE_PATH, buildOpenApiDocument, type OpenApiDocument, type OpenApiOperation } from './http/openapi';
import { apiRoutes } from './routes';

/**
 * The authorization matrix: every operation of the OpenAPI document the API serves, tried as an outsider and as a
 * malicious tenant would. Workspace A holds every resource (test/route-fixtures.ts); B is another tenant.
 *
 * - without a valid credential (none, a token signed by another key, a revoked API key): 401;
 * - as B, on A's ids in the path, the query or the body: 404, and no answer names anything of A;
 * - as B, naming A in the X-Kai-Workspace header: 404;
 * - as a viewer of A: writes 403, reads allowed;
 * - with API keys: B's key on A's ids 404 (or 403 where no key of its scopes may go); A's owner's keys only within
 *   the scope each operation's description names, a default key never on keys, invitations or workspaces;
 * - the public webhook endpoint opens only with the hook's own credentials, never with the API's.
 *
 * An operation the document gains is probed at once; one the matrix cannot probe fails the first test below, so
 * no route ships unprobed.
 */

const document = buildOpenApiDocument(apiRoutes);

interface Probe {
  /** `GET /workflows/{workflowId}`, or the full path for operations outside the versioned API. */
  key: string;
  operation: OpenApiOperation;
  route?: AnyRoute;
}

const METHODS = ['get', 'put', 'post', 'patch', 'delete'] as const;

/** Every operation of the document, paired with the route that serves it when it lies under the API's base path. */
function operationsOf(doc: OpenApiDocument): Probe[] {
  const routes = new Map(apiRoutes.map((route) => [routeKey(route), route]));
  return Object.entries(doc.paths).flatMap(([path, item]) => {
    const server = item.servers?.[0]?.url ?? doc.servers[0].url;
    return METHODS.flatMap((method) => {
      const operation = item[method];
      if (!operation) return [];
      const key = `${method.toUpperCase()} ${path}`;
      if (server !== API_BASE_PATH) return [{ key: `${method.toUpperCase()} ${server}${path}`, operation }];
      return [{ key, operation, route: routes.get(`${method.toUpperCase()} ${path.replace(/\{([A-Za-z0-9_]+)\}/g, ':$1')}`) }];
    });
  });
}

const probes = operationsOf(document);
const apiProbes = probes.filter((probe): probe is Probe & { route: AnyRoute } => probe.route !== undefined);
const named = (list: (Probe & { route: AnyRoute })[]) => list.map((probe) => [probe.key, probe.route, probe.operation] as const);

const isPublic = (operation: OpenApiOperation) => operation.security.length === 0;
const guarded = apiProbes.filter((probe) => !isPublic(probe.operation));
const documents = (operation: OpenApiOperation, status: number) => Object.hasOwn(operation.responses, String(status));
const isWrite = (route: AnyRoute) => route.access === 'editor' || route.access === 'owner';

/** The public webhook endpoint, the one operation outside /api/v1: what opens it is the hook's own secret. */
const WEBHOOK_DELIVERY = 'POST /api/webhooks/{webhookId}';
const OUTSIDE_THE_API = new Set([WEBHOOK_DELIVERY]);

/** Query parameters and top-level body fields that name a resource by id, as the document declares them. */
function idFieldsOf(operation: OpenApiOperation): { where: 'query' | 'body'; name: string }[] {
  const query = (operation.parameters as { name?: string; in?: string }[]).filter((parameter) => parameter.in === 'query' && isIdName(parameter.name));
  const bodyRef = (operation.requestBody?.content['application/json']?.schema as { $ref?: string } | undefined)?.$ref;
  const body = bodyRef ? (document.components.schemas[bodyRef.split('/').pop() as string] as { properties?: Record<string, unknown> }) : undefined;
  return [
    ...query.map((parameter) => ({ where: 'query' as const, name: parameter.name as string })),
    ...Object.keys(body?.properties ?? {})
      .filter(isIdName)
      .map((name) => ({ where: 'body' as const, name })),
  ];
}

/** What the operation's description says an API key needs: a scope, or `session` when no key may call it. */
function documentedKeyScope(operation: OpenApiOperation): ApiKeyScope | 'session' {
  if (/API keys cannot call this/.test(operation.description ?? '')) return 'session';
  const scope = /API keys need the `(\w+)` scope/.exec(operation.description ?? '')?.[1];
  if (!(API_KEY_SCOPES as readonly string[]).includes(scope ?? '')) throw new Error(`${operation.operationId}: its description names no API key scope: ${operation.description}`);
  return scope as ApiKeyScope;
}

const keyMayCall = (operation: OpenApiOperation, scopes: readonly ApiKeyScope[]) => {
  const needed = documentedKeyScope(operation);
  return needed !== 'session' && scopes.includes(needed);
};

/** `workflowId`, `credentialId`…; a graph's own `nodeId` names no stored resource. */
const isIdName = (name: string | undefined): name is string => name !== undefined && /^[a-z]+Id$/.test(name) && name !== 'nodeId';

let fixtures: RouteFixtures;
/** A token as ours would look, for A's owner, signed with a key the API does not hold. */
let forgedToken: string;
/** An API key of A's owner, revoked before the tests. */
let revokedKey: string;
/** B's API key (default scopes): B's own workspace, whatever the request's header says. */
let strangerKey: string;
/** Keys of A's owner: one made without naming scopes, one that may only read. */
let ownerKeys: { defaultScopes: string; readOnly: string };

beforeAll(async () => {
  fixtures = await createRouteFixtures();
  forgedToken = new AccessTokens(randomBytes(32)).issue({ userId: fixtures.owner.userId, email: fixtures.owner.email }).accessToken;
  const revoked = await createApiKey(fixtures.owner.token, 'Revoked fixture key');
  const revocation = await fixtures.api.request('DELETE', `${API_BASE_PATH}/api-keys/${revoked.id}`, { token: fixtures.owner.token });
  if (revocation.status !== 204) throw new Error(`revoking the fixture key answered ${revocation.status}: ${revocation.text}`);
  revokedKey = revoked.key;
  strangerKey = (await createApiKey(fixtures.stranger.token, 'Stranger key')).key;
  ownerKeys = {
    defaultScopes: (await createApiKey(fixtures.owner.token, 'Default key')).key,
    readOnly: (await createApiKey(fixtures.owner.token, 'Read-only key', { scopes: ['read'] })).key,
  };
}, 120_000);
afterAll(() => fixtures?.close());

async function createApiKey(token: string, name: string, extra: Record<string, unknown> = {}): Promise<{ id: string; key: string }> {
  const created = await fixtures.api.request<{ id: string; key: string }>('POST', `${API_BASE_PATH}/api-keys`, { token, body: { name, ...extra } });
  if (created.status !== 201) throw new Error(`creating an API key answered ${created.status}: ${created.text}`);
  return created.body;
}

function expectErrorShape(response: ApiResponse, status: number, code: string) {
  expect({ status: response.status, body: response.body }).toEqual({
    status,
    body: { error: { code, message: expect.any(String), details: expect.any(Array) } },
  });
}

/** Nothing of A (its ids, names, its workspace) in an answer to someone who is not A's member. */
function expectNothingOfA(response: ApiResponse) {
  expect(fixtures.resourceNames().filter((name) => response.text.includes(name))).toEqual([]);
}

const call = async (route: AnyRoute, options: RequestOptions & { query?: string } = {}) => fixtures.call(route, { body: await fixtures.sampleBody(route), ...options });

describe('the document', () => {
  test('is the one the API serves', async () => {
    expect((await fixtures.api.request('GET', '/api/openapi.json')).body).toEqual(JSON.parse(JSON.stringify(document)));
  });

  test('has no operation this matrix cannot probe', () => {
    const unprobed = probes.filter((probe) => !probe.route && !OUTSIDE_THE_API.has(probe.key)).map((probe) => probe.key);
    expect(unprobed).toEqual([]);
    expect(probes.filter((probe) => OUTSIDE_THE_API.has(probe.key)).map((probe) => probe.key)).toEqual([...OUTSIDE_THE_API]);
  });

  test('every sample body in test/route-fixtures.ts belongs to a route that exists', () => {
    const routes = new Set(apiRoutes.map(routeKey));
    expect(sampleBodyKeys().filter((key) => !routes.has(key))).toEqual([]);
  });
});

describe('without a valid credential', () => {
  test.each(named(guarded))('%s answers 401 with no token, a forged token and a revoked API key, as documented', async (_key, route, operation) => {
    expect(documents(operation, 401)).toBe(true);
    for (const token of [undefined, forgedToken, revokedKey]) {
      const response = await call(route, { token });
      expectErrorShape(response, 401, 'unauthorized');
      expect(response.headers.get('www-authenticate')).toBe('Bearer');
    }
  });

  test.each(named(apiProbes.filter((probe) => isPublic(probe.operation))))('%s (documented as public) answers without one', async (_key, route) => {
    const response = await call(route);
    expect({ status: response.status, text: response.text }).toEqual({ status: route.status ?? 200, text: expect.any(String) });
  });
});

describe("as another tenant (B), on A's ids", () => {
  const inPath = guarded.filter((probe) => /\{/.test(probe.key));

  test.each(named(inPath))('%s answers 404 and names nothing of A, with a token and with an API key', async (_key, route, operation) => {
    const params = await fixtures.paramsOf(route);
    for (const token of [fixtures.stranger.token, strangerKey]) {
      const response = await call(route, { token });
      if (token === strangerKey && !keyMayCall(operation, DEFAULT_API_KEY_SCOPES)) {
        // Refused for what the key is, before any id is looked up: the answer cannot tell whether A's exists.
        expectErrorShape(response, 403, 'forbidden');
      } else if (!Object.values(params).some((param) => param.ownedByWorkspace)) {
        // Only global params (a node type): nothing of A is involved, so it is simply allowed.
        expect(response.status).toBeLessThan(300);
        continue;
      } else {
        expect(documents(operation, 404)).toBe(true);
        expectErrorShape(response, 404, 'not_found');
      }
      expectNothingOfA(response);
    }
  });

  const withIdFields = guarded.filter((probe) => idFieldsOf(probe.operation).length > 0);

  test('some operations take ids in the query or the body', () => {
    expect(withIdFields.length).toBeGreaterThan(0);
  });

  test.each(named(withIdFields))('%s, given them in the query or the body, finds nothing of A', async (key, route, operation) => {
    for (const { where, name } of idFieldsOf(operation)) {
      const { value } = await fixtures.valueOf(name, `${key} (${where} field)`);
      const options =
        where === 'query'
          ? { token: fixtures.stranger.token, query: `${name}=${encodeURIComponent(value)}` }
          : { token: fixtures.stranger.token, body: { ...((await fixtures.sampleBody(route)) as object), [name]: value } };
      const response = await call(route, options);
      expect({ field: `${where}.${name}`, refused: response.status === 404 || response.status < 300 }).toEqual({ field: `${where}.${name}`, refused: true });
      expectNothingOfA(response);
    }
  });

  test.each(named(guarded))('%s answers 404 when X-Kai-Workspace names A', async (_key, route) => {
    const response = await call(route, { token: fixtures.stranger.token, headers: { 'x-kai-workspace': fixtures.owner.workspaceId } });
    expectErrorShape(response, 404, 'not_found');
    expect(response.text).not.toContain(fixtures.owner.workspaceId);
  });

  test.each(named(guarded))("%s with B's API key ignores X-Kai-Workspace naming A: B's workspace only", async (_key, route) => {
    const response = await call(route, { token: strangerKey, headers: { 'x-kai-workspace': fixtures.owner.workspaceId } });
    expect(response.status).not.toBe(500);
    expectNothingOfA(response);
  });
});

describe('as a viewer of A', () => {
  test.each(named(guarded.filter((probe) => isWrite(probe.route))))('%s answers 403, as documented', async (_key, route, operation) => {
    expect(documents(operation, 403)).toBe(true);
    expectErrorShape(await call(route, fixtures.viewer), 403, 'forbidden');
  });

  test.each(named(guarded.filter((probe) => !isWrite(probe.route))))('%s is allowed', async (_key, route) => {
    const response = await call(route, fixtures.viewer);
    expect({ status: response.status, text: response.text }).toEqual({ status: route.status ?? 200, text: expect.any(String) });
  });
});

describe("with API keys of A's owner", () => {
  const beyond = (scopes: readonly ApiKeyScope[]) => guarded.filter((probe) => !keyMayCall(probe.operation, scopes));

  test('every guarded operation names the scope an API key needs', () => {
    expect(guarded.map((probe) => [probe.key, documentedKeyScope(probe.operation)])).toEqual(guarded.map((probe) => [probe.key, expect.stringMatching(/^(read|run|write|admin|session)$/)]));
  });

  test('a key made without scopes manages no keys, invitations or workspaces', () => {
    const managing = guarded.filter((probe) => /^(GET|POST|PUT|PATCH|DELETE) \/(api-keys|workspaces|invitations)\b/.test(probe.key) && probe.route.method !== 'get');
    expect(managing.length).toBeGreaterThan(0);
    expect(managing.filter((probe) => keyMayCall(probe.operation, DEFAULT_API_KEY_SCOPES)).map((probe) => probe.key)).toEqual([]);
  });

  test.each(named(beyond(DEFAULT_API_KEY_SCOPES)))('%s answers 403 to a key made without scopes', async (_key, route) => {
    expectErrorShape(await call(route, { token: ownerKeys.defaultScopes }), 403, 'forbidden');
  });

  test.each(named(beyond(['read'])))('%s answers 403 to a read-only key', async (_key, route) => {
    expectErrorShape(await call(route, { token: ownerKeys.readOnly }), 403, 'forbidden');
  });

  test.each(named(guarded.filter((probe) => keyMayCall(probe.operation, ['read']))))('%s is allowed to a read-only key', async (_key, route) => {
    const response = await call(route, { token: ownerKeys.readOnly });
    expect({ status: response.status, text: response.text }).toEqual({ status: route.status ?? 200, text: expect.any(String) });
  });
});

describe('the public webhook endpoint', () => {
  test("opens with the hook's credentials only: no credential, an API token, an API key or a workspace header answer 401 alike", async () => {
    const { value: webhookId } = await fixtures.valueOf('webhookId', WEBHOOK_DELIVERY);
    const ownerKey = await createApiKey(fixtures.owner.token, 'Webhook probe key');
    const attempts: Record<string, string>[] = [{}, { authorization: `Bearer ${fixtures.owner.token}` }, { authorization: `Bearer ${ownerKey.key}` }, { 'x-kai-workspace': fixtures.owner.workspaceId }];
    const answers = await Promise.all(
      attempts.map(async (headers) => {
        const response = await fetch(`${fixtures.api.url}/api/webhooks/${webhookId}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: '{}' });
        return { status: response.status, body: await response.text() };
      }),
    );
    expect(new Set(answers.map((answer) => JSON.stringify(answer)))).toEqual(new Set([JSON.stringify(answers[0])]));
    expect(answers[0].status).toBe(401);
  });
});
