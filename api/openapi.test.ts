import { z } from 'zod';
import packageJson from '../package.json';
import { createApiHarness, type ApiHarness } from '../test/api-harness';
import { defineRoute, type AnyRoute } from './http/define-route';
import { buildOpenApiDocument, type OpenApiDocument, type OpenApiOperation } from './http/openapi';
import { WEBHOOK_DELIVERY_PATH } from './webhooks/webhook-openapi';
import { apiRoutes } from './routes';

let api: ApiHarness;
let served: OpenApiDocument;
beforeAll(async () => {
  api = await createApiHarness();
  served = (await api.request<OpenApiDocument>('GET', '/api/openapi.json')).body;
}, 120_000);
afterAll(() => api?.close());

/** Every `$ref` string anywhere in the value. */
function refsIn(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(refsIn);
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, item]) => (key === '$ref' && typeof item === 'string' ? [item] : refsIn(item)));
}

/** Follows a local JSON pointer (`#/components/schemas/Error`) through the document; undefined when it leads nowhere. */
function resolve(document: unknown, ref: string): unknown {
  if (!ref.startsWith('#/')) return undefined;
  let node: unknown = document;
  for (const token of ref.slice(2).split('/').map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))) {
    if (node === null || typeof node !== 'object' || !Object.hasOwn(node, token)) return undefined;
    node = (node as Record<string, unknown>)[token];
  }
  return node;
}

function unresolvedRefs(document: unknown): string[] {
  return [...new Set(refsIn(document))].filter((ref) => resolve(document, ref) === undefined);
}

function openApiPath(route: AnyRoute): string {
  return route.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

test('GET /api/openapi.json is public and describes KAI-Fusion as OpenAPI 3.1', async () => {
  const response = await api.request('GET', '/api/openapi.json');
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  expect(served).toMatchObject({ openapi: '3.1.0', info: { title: 'KAI-Fusion', version: packageJson.version }, servers: [{ url: '/api/v1' }] });
  expect(served).toEqual(JSON.parse(JSON.stringify(buildOpenApiDocument(apiRoutes))));
  expect(served.components.securitySchemes.bearer).toEqual(expect.objectContaining({ type: 'http', scheme: 'bearer' }));
  expect(served.tags.map((tag) => tag.name).sort()).toEqual([...new Set(apiRoutes.map((route) => route.tag))].sort());
  const { [WEBHOOK_DELIVERY_PATH]: _delivery, ...routePaths } = served.paths;
  const operations = Object.values(routePaths).flatMap(({ servers: _servers, ...methods }) => Object.values(methods));
  expect(operations).toHaveLength(apiRoutes.length);
  expect(new Set(operations.map((operation) => operation.operationId)).size).toBe(apiRoutes.length);
});

test('the public webhook endpoint is documented under its own server, with the hook credentials and both modes’ answers', async () => {
  const item = served.paths[WEBHOOK_DELIVERY_PATH];
  expect(item.servers).toEqual([{ url: '/api/webhooks' }]);
  expect(item.post?.security).toEqual([{ webhookToken: [] }, { webhookSignature: [] }, {}]);
  for (const scheme of ['webhookToken', 'webhookSignature']) expect(served.components.securitySchemes).toHaveProperty(scheme);
  expect(Object.keys(item.post?.responses ?? {}).sort()).toEqual(['200', '202', '400', '401', '405', '413', '415', '429', '502']);
  expect(item.post?.parameters[0]).toMatchObject({ name: 'webhookId', in: 'path', required: true, schema: { pattern: expect.stringContaining('wh_') } });
  // What the document promises is what the endpoint answers: an unknown hook gets the 401, in the error shape.
  const { status, body } = await api.request<{ runId: string }>('POST', '/api/webhooks/wh_0000000000000000000000000000000000000000000', { body: {} });
  expect(status).toBe(401);
  expect(body).toMatchObject({ error: { code: expect.any(String), message: expect.any(String) } });
});

test('every $ref in the document resolves', () => {
  expect(refsIn(served).length).toBeGreaterThan(apiRoutes.length);
  expect(unresolvedRefs(served)).toEqual([]);
});

describe.each(apiRoutes.map((route) => [`${route.method.toUpperCase()} ${route.path}`, route] as const))('%s', (_name, route) => {
  const operation = () => served.paths[openApiPath(route)]?.[route.method] as OpenApiOperation;

  test('is documented with its summary, tag, parameters and security', () => {
    expect(operation()).toMatchObject({ summary: route.summary, tags: [route.tag] });
    const parameters = operation().parameters as { name?: string; in?: string; required?: boolean; schema?: unknown }[];
    const pathParameters = parameters.filter((parameter) => parameter.in === 'path');
    const names = [...route.path.matchAll(/:([A-Za-z0-9_]+)/g)].map((match) => match[1]);
    expect(pathParameters.map((parameter) => parameter.name)).toEqual(names);
    for (const parameter of pathParameters) expect(parameter).toMatchObject({ required: true, schema: expect.any(Object) });
    const queryNames = Object.keys(route.query instanceof z.ZodObject ? route.query.shape : {});
    expect(parameters.filter((parameter) => parameter.in === 'query').map((parameter) => parameter.name)).toEqual(queryNames);
    if (route.access === 'public') expect(operation().security).toEqual([]);
    else expect(operation().security).toEqual([{ bearer: [] }]);
  });

  test('documents its body, its success answer and its errors in the error shape', () => {
    const { requestBody, responses } = operation();
    if (route.body) {
      const schema = requestBody?.content['application/json'].schema as { $ref: string };
      expect(resolve(served, schema.$ref)).toEqual(expect.objectContaining({}));
    } else {
      expect(requestBody).toBeUndefined();
    }
    const success = responses[String(route.status ?? 200)] as { content?: Record<string, { schema: { $ref?: string } }> };
    expect(success).toBeDefined();
    if (route.response && !route.streams) expect(resolve(served, success.content?.['application/json'].schema.$ref ?? '')).toBeDefined();
    expect(responses['400']).toEqual({ $ref: '#/components/responses/BadRequest' });
    if (route.access !== 'public') expect(responses['401']).toEqual({ $ref: '#/components/responses/Unauthorized' });
    if (route.access !== 'public' && route.access !== 'signedIn') expect(responses['403']).toEqual({ $ref: '#/components/responses/Forbidden' });
    if (route.body) expect(responses['413']).toEqual({ $ref: '#/components/responses/PayloadTooLarge' });
  });
});

test('the shared error response documents { error: { code, message, details } }', () => {
  expect(resolve(served, '#/components/responses/NotFound')).toMatchObject({ content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } });
  expect(served.components.schemas.Error).toMatchObject({
    type: 'object',
    required: ['error'],
    properties: { error: { required: ['code', 'message', 'details'], properties: { details: { type: 'array' } } } },
  });
});

test('recursive and shared schemas become components whose references resolve inside the document', () => {
  interface Tree {
    label: string;
    children: Tree[];
  }
  const tree: z.ZodType<Tree> = z.lazy(() => z.object({ label: z.string(), children: z.array(tree) }));
  const label = z.object({ text: z.string() }).meta({ id: 'Label' });
  const point = z.object({ x: z.number(), y: z.number(), label: label.optional() }).meta({ id: 'Point' });
  const route = defineRoute({
    method: 'put',
    path: '/trees/:treeId',
    summary: 'Replace a tree',
    tag: 'Trees',
    access: 'editor',
    params: z.object({ treeId: z.uuid().describe('the tree') }).strict(),
    query: z.object({ dryRun: z.enum(['true', 'false']).optional() }).strict(),
    body: z.object({ root: tree, origin: point, corner: point }).strict(),
    response: z.object({ root: tree }),
    handler: async () => undefined,
  });
  const document = buildOpenApiDocument([route, { ...route, method: 'post', path: '/trees' }]);
  expect(unresolvedRefs(document)).toEqual([]);
  // Both operations' bodies share Point (which refers to Label): each is one component.
  expect(Object.keys(document.components.schemas).filter((name) => /^(Point|Label)/.test(name)).sort()).toEqual(['Label', 'Point']);
  expect(document.components.schemas.Point).toMatchObject({ properties: { label: { $ref: '#/components/schemas/Label' } } });
  expect(refsIn(document).filter((ref) => !ref.startsWith('#/components/'))).toEqual([]);
  expect(document.components.schemas.Point).toMatchObject({ type: 'object', required: ['x', 'y'] });
  const operation = document.paths['/trees/{treeId}'].put as OpenApiOperation;
  expect(operation.parameters).toEqual([
    { name: 'treeId', in: 'path', required: true, description: 'the tree', schema: expect.objectContaining({ type: 'string', format: 'uuid' }) },
    { name: 'dryRun', in: 'query', required: false, schema: { type: 'string', enum: ['true', 'false'] } },
    { $ref: '#/components/parameters/WorkspaceHeader' },
  ]);
  expect(operation.requestBody).toEqual({ required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/PutTreesTreeIdBody' } } } });
});

test('GET /api/docs serves Swagger UI from local files, pointed at /api/openapi.json', async () => {
  const page = await api.request('GET', '/api/docs');
  expect(page.status).toBe(200);
  expect(page.headers.get('content-type')).toMatch(/^text\/html/);
  expect(page.text).not.toMatch(/(src|href)="(https?:)?\/\//);
  const assets = [...page.text.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1]);
  expect(assets).toEqual(expect.arrayContaining(['/api/docs/assets/swagger-ui.css', '/api/docs/assets/swagger-ui-bundle.js', '/api/docs/init.js']));
  for (const asset of assets) {
    const response = await api.request('GET', asset);
    expect({ asset, status: response.status }).toEqual({ asset, status: 200 });
    expect(response.text.length).toBeGreaterThan(100);
  }
  const init = await api.request('GET', '/api/docs/init.js');
  expect(init.headers.get('content-type')).toMatch(/javascript/);
  expect(init.text).toContain("url: '/api/openapi.json'");
  expect((await api.request('GET', '/api/docs/assets/swagger-ui-bundle.js')).text).toContain('SwaggerUIBundle');
});
