import { z } from 'zod';
import packageJson from '../../package.json';
import { errorBodySchema } from '../../contract/errors';
import { WEBHOOK_DELIVERY_PATH, WEBHOOK_SECURITY_SCHEMES, webhookDeliveryPathItem } from '../webhooks/webhook-openapi';
import { apiKeyScopeOf, type AnyRoute, type KeyScope } from './define-route';
import { toJsonSchema } from './json-schema';

/** Where the routes of {@link AnyRoute.path} are served; the document's paths are relative to it. */
export const API_BASE_PATH = '/api/v1';

type JsonSchema = Record<string, unknown>;

export interface OpenApiDocument {
  openapi: '3.1.0';
  info: { title: string; version: string; description: string };
  servers: { url: string }[];
  tags: { name: string }[];
  paths: Record<string, OpenApiPathItem>;
  components: {
    schemas: Record<string, JsonSchema>;
    responses: Record<string, unknown>;
    parameters: Record<string, unknown>;
    securitySchemes: Record<string, unknown>;
  };
}

/** Operations by method; a path item may name its own `servers` (the webhook endpoint lives outside /api/v1). */
export type OpenApiPathItem = { servers?: { url: string }[] } & Partial<Record<AnyRoute['method'], OpenApiOperation>>;

export interface OpenApiOperation {
  operationId: string;
  summary: string;
  description?: string;
  tags: string[];
  security: Record<string, string[]>[];
  parameters: unknown[];
  requestBody?: { required: boolean; content: Record<string, { schema: JsonSchema }> };
  responses: Record<string, unknown>;
}

/** Each error status a route can answer, with the name of its shared response and what it means. */
const ERROR_RESPONSES = {
  400: ['BadRequest', 'Malformed JSON, or params, query or body that fail validation'],
  401: ['Unauthorized', 'No valid Bearer access token or API key'],
  403: ['Forbidden', 'Your role in the workspace does not allow this'],
  404: ['NotFound', 'No such resource in this workspace (another workspace’s resources answer this too)'],
  409: ['Conflict', 'The request conflicts with the current state'],
  413: ['PayloadTooLarge', 'The body is over the size limit'],
  422: ['Unprocessable', 'Well-formed, but cannot be carried out'],
  429: ['TooManyRequests', 'Throttled; retry after the Retry-After header’s seconds'],
} as const satisfies Record<number, readonly [string, string]>;

type ErrorStatus = keyof typeof ERROR_RESPONSES;

const BEARER = 'bearer';
const WORKSPACE_PARAMETER = 'WorkspaceHeader';

/**
 * The OpenAPI 3.1 document of the API, generated from the route list so it cannot drift from what is served:
 * params and query become parameters, the body a request body, and the documented status and response schema
 * the success answer. Request schemas are documented as accepted (`io: 'input'`), responses as produced.
 */
export function buildOpenApiDocument(routes: readonly AnyRoute[]): OpenApiDocument {
  const schemas = new SchemaComponents();
  const paths: OpenApiDocument['paths'] = {};
  for (const route of routes) {
    const path = route.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
    paths[path] = { ...paths[path], [route.method]: operationOf(route, schemas) };
  }
  paths[WEBHOOK_DELIVERY_PATH] = webhookDeliveryPathItem();
  schemas.add('Error', errorBodySchema, 'output');
  return {
    openapi: '3.1.0',
    info: {
      title: 'KAI-Fusion',
      version: packageJson.version,
      description: packageJson.description,
    },
    servers: [{ url: API_BASE_PATH }],
    tags: [...new Set(routes.map((route) => route.tag))].map((name) => ({ name })),
    paths,
    components: {
      schemas: schemas.all,
      responses: Object.fromEntries(
        Object.values(ERROR_RESPONSES).map(([name, description]) => [
          name,
          { description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
        ]),
      ),
      parameters: {
        [WORKSPACE_PARAMETER]: {
          name: 'X-Kai-Workspace',
          in: 'header',
          required: false,
          description: 'The workspace to act in (a uuid); without it, your personal workspace. Ignored for API keys, which belong to one workspace.',
          schema: { type: 'string', format: 'uuid' },
        },
      },
      securitySchemes: {
        [BEARER]: {
          type: 'http',
          scheme: 'bearer',
          description:
            'An access token from /auth/signin, or an API key (kai_key_…). A key acts as its creator, limited to its scopes: ' +
            '`read`, `run` (start and steer runs), `write`, `admin` (keys, invitations, workspaces); each operation names the one it needs.',
        },
        ...WEBHOOK_SECURITY_SCHEMES,
      },
    },
  };
}

function operationOf(route: AnyRoute, schemas: SchemaComponents): OpenApiOperation {
  const operationId = operationIdOf(route);
  const componentName = operationId[0].toUpperCase() + operationId.slice(1);
  const isPublic = route.access === 'public';
  const status = route.status ?? 200;
  const operation: OpenApiOperation = {
    operationId,
    summary: route.summary,
    ...(isPublic ? {} : { description: apiKeyNote(apiKeyScopeOf(route)) }),
    tags: [route.tag],
    security: isPublic ? [] : [{ [BEARER]: [] }],
    parameters: [
      ...pathParameters(route),
      ...objectParameters(route.query, 'query'),
      ...(isPublic ? [] : [{ $ref: `#/components/parameters/${WORKSPACE_PARAMETER}` }]),
    ],
    responses: {
      [status]: successResponse(route, status, componentName, schemas),
      ...Object.fromEntries(errorStatuses(route).map((code) => [code, { $ref: `#/components/responses/${ERROR_RESPONSES[code][0]}` }])),
    },
  };
  if (route.body) {
    operation.requestBody = {
      required: !route.body.safeParse(undefined).success,
      content: { 'application/json': { schema: schemas.add(`${componentName}Body`, route.body, 'input') } },
    };
  }
  return operation;
}

function apiKeyNote(scope: KeyScope): string {
  return scope === 'session' ? 'API keys cannot call this: it needs a signed-in session.' : `API keys need the \`${scope}\` scope.`;
}

/** `post /workflows/:workflowId/versions` → `postWorkflowsWorkflowIdVersions`: unique, since method + path are. */
function operationIdOf(route: AnyRoute): string {
  const words = route.path.split(/[^A-Za-z0-9]+/).filter(Boolean);
  return route.method + words.map((word) => word[0].toUpperCase() + word.slice(1)).join('');
}

function successResponse(route: AnyRoute, status: number, componentName: string, schemas: SchemaComponents) {
  const description = route.summary;
  if (route.streams) return { description, content: { 'text/event-stream': { schema: { type: 'string' } } } };
  if (!route.response) return { description };
  return { description, content: { 'application/json': { schema: schemas.add(`${componentName}Response`, route.response, 'output') } } };
}

/** What every route can answer, from what its shape lets happen; handlers may add their own reasons within these. */
function errorStatuses(route: AnyRoute): ErrorStatus[] {
  const isPublic = route.access === 'public';
  const writes = route.method !== 'get';
  const statuses: ErrorStatus[] = [400];
  if (!isPublic) statuses.push(401);
  // A role the caller lacks, or a scope an API key lacks.
  if (!isPublic) statuses.push(403);
  // Signed-in routes answer 404 for an X-Kai-Workspace the caller is not a member of.
  if (!isPublic || route.path.includes(':')) statuses.push(404);
  if (writes) statuses.push(409);
  if (route.body) statuses.push(413);
  if (writes) statuses.push(422);
  // Public routes are the throttled ones (sign-in); signed-in callers are not rate limited.
  if (isPublic) statuses.push(429);
  return statuses;
}

/** Every `:name` of the path, typed from the params schema where it declares the name (a plain string otherwise). */
function pathParameters(route: AnyRoute): unknown[] {
  const declared = new Map(objectParameters(route.params, 'path').map((parameter) => [parameter.name, parameter]));
  const names = [...route.path.matchAll(/:([A-Za-z0-9_]+)/g)].map((match) => match[1]);
  return names.map((name) => declared.get(name) ?? { name, in: 'path', required: true, schema: { type: 'string' } });
}

function objectParameters(schema: z.ZodType | undefined, where: 'path' | 'query') {
  if (!schema) return [];
  const json = toJsonSchema(schema, 'input');
  const properties = (json.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((json.required ?? []) as string[]);
  return Object.entries(properties).map(([name, { description, ...propertySchema }]) => ({
    name,
    in: where,
    required: where === 'path' || required.has(name),
    ...(typeof description === 'string' ? { description } : {}),
    schema: propertySchema,
  }));
}

/**
 * The named schemas of `components.schemas`. zod emits a self-contained schema whose references point inside it
 * (`#` for the root of a recursive schema, `#/$defs/…` for shared parts); embedded in the document those would
 * point at the document's root, so each one is rewritten to the component it now lives in.
 */
class SchemaComponents {
  readonly all: Record<string, JsonSchema> = {};
  /** Each shared definition's JSON as zod emitted it, before its references were rewritten, to recognise it again. */
  private readonly emitted = new Map<string, string>();

  /** Stores the schema as `name` (and its `$defs` beside it) and returns a reference to it. */
  add(name: string, schema: z.ZodType, io: 'input' | 'output'): { $ref: string } {
    const { $defs, ...root } = toJsonSchema(schema, io);
    const definitions = ($defs ?? {}) as Record<string, JsonSchema>;
    const renamed = new Map(Object.keys(definitions).map((key) => [key, this.nameForDefinition(name, key, definitions[key])]));
    const rewrite = (ref: string): string => {
      if (ref === '#') return componentRef(name);
      const definition = /^#\/\$defs\/(.+)$/.exec(ref)?.[1];
      const target = definition === undefined ? undefined : renamed.get(definition);
      if (target === undefined) throw new Error(`the schema of ${name} has a reference the document cannot hold: ${ref}`);
      return componentRef(target);
    };
    for (const [key, definition] of Object.entries(definitions)) this.all[renamed.get(key) as string] = rewriteRefs(definition, rewrite) as JsonSchema;
    this.all[name] = rewriteRefs(root, rewrite) as JsonSchema;
    return { $ref: componentRef(name) };
  }

  /** A definition with an id of its own (`.meta({ id })`) keeps it when no different schema has taken it. */
  private nameForDefinition(owner: string, key: string, definition: JsonSchema): string {
    const generated = key.startsWith('__');
    const base = generated ? `${owner}${key.replace(/^_+/, '').replace(/^./, (c) => c.toUpperCase())}` : key;
    const json = JSON.stringify(definition);
    let name = base;
    for (let n = 2; name in this.all && this.emitted.get(name) !== json; n++) name = `${base}${n}`;
    this.emitted.set(name, json);
    return name;
  }
}

function componentRef(name: string): string {
  return `#/components/schemas/${name}`;
}

function rewriteRefs(value: unknown, rewrite: (ref: string) => string): unknown {
  if (Array.isArray(value)) return value.map((item) => rewriteRefs(item, rewrite));
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [key, key === '$ref' && typeof item === 'string' ? rewrite(item) : rewriteRefs(item, rewrite)]),
  );
}
