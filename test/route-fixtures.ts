import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { AnyRoute } from '../api/http/define-route';
import { API_BASE_PATH } from '../api/http/openapi';
import { ensureWebhooksForVersion } from '../api/webhooks/provision-webhooks';
import { WorkflowVersion } from '../db/entities';
import { createApiHarness, type ApiHarness, type ApiResponse, type RequestOptions, type TestAccount } from './api-harness';

/**
 * Real resources of one workspace ("A") for the route-wide tests: every value a route's `:param` can take, and a
 * valid body for every route. Params and bodies are filled by name from the tables below; a route whose param or
 * body they cannot fill fails the tests with a message saying what to add here, so no new route escapes the
 * authorization matrix and the fuzz tests.
 */

/** `PATCH /workflows/:workflowId`: how routes are named in the tables below and in test titles. */
export function routeKey(route: AnyRoute): string {
  return `${route.method.toUpperCase()} ${route.path}`;
}

/** Routes paired with their `METHOD path` names, for `describe.each`. */
export function namedRoutes(routes: readonly AnyRoute[]): (readonly [string, AnyRoute])[] {
  return routes.map((route) => [routeKey(route), route] as const);
}

export function pathParamNames(route: AnyRoute): string[] {
  return [...route.path.matchAll(/:([A-Za-z0-9_]+)/g)].map((match) => match[1]);
}

export interface ParamValue {
  value: string;
  /**
   * Whether it is the id of a stored resource of workspace A: a caller from another workspace must not find it, and
   * an id of the same shape that names nothing answers 404 too.
   */
  ownedByWorkspace: boolean;
}

/** A graph whose run waits at an Approval node, so run routes (state, approvals, termination) find a live run. */
const WAITING_GRAPH = {
  nodes: [
    { id: 'start', type: 'start', version: 1, data: { config: {} } },
    { id: 'review', type: 'approval', version: 1, data: { config: { message: 'Go on?' } } },
    { id: 'end', type: 'end', version: 1, data: { config: {} } },
  ],
  edges: [
    { id: 'start-review', source: 'start', sourceHandle: 'out', target: 'review', targetHandle: 'in' },
    { id: 'review-end', source: 'review', sourceHandle: 'approved', target: 'end', targetHandle: 'in' },
  ],
};
const WAITING_NODE = 'review';

/** A graph whose published versions own a webhook endpoint. */
const WEBHOOK_GRAPH = {
  nodes: [
    { id: 'hook', type: 'webhook', version: 1, data: { config: {} } },
    { id: 'end', type: 'end', version: 1, data: { config: {} } },
  ],
  edges: [{ id: 'hook-end', source: 'hook', sourceHandle: 'out', target: 'end', targetHandle: 'in' }],
};

/** Chat trigger → End: publishing it gives the workflow a public chat endpoint. */
const CHAT_GRAPH = {
  nodes: [
    { id: 'chat', type: 'chat-trigger', version: 1, data: { config: {} } },
    { id: 'end', type: 'end', version: 1, data: { config: {} } },
  ],
  edges: [{ id: 'chat-end', source: 'chat', sourceHandle: 'out', target: 'end', targetHandle: 'in' }],
};

/** How each resource of workspace A is made, once, through the public API. */
class WorkspaceResources {
  private readonly made = new Map<string, Promise<unknown>>();
  /** Every id and name of A's resources: no answer to a caller from another workspace may contain one. */
  readonly names = new Set<string>();

  constructor(
    private readonly api: ApiHarness,
    readonly owner: TestAccount,
    /** A's member who is not its owner. */
    readonly viewer: TestAccount,
  ) {
    this.names.add(owner.workspaceId);
    this.names.add(viewer.userId);
  }

  private once<T>(what: string, make: () => Promise<T>): Promise<T> {
    if (!this.made.has(what)) this.made.set(what, make());
    return this.made.get(what) as Promise<T>;
  }

  private async send<T>(method: string, path: string, body: unknown, status: number): Promise<T> {
    const response = await this.api.request<T>(method, `${API_BASE_PATH}${path}`, { token: this.owner.token, body });
    if (response.status !== status) throw new Error(`fixture ${method} ${path} answered ${response.status}: ${response.text}`);
    return response.body;
  }

  /** Makes a resource through its route and remembers its id and name. */
  private async create(method: string, path: string, body: unknown, status = 201): Promise<{ id: string }> {
    const made = await this.send<{ id: string; name?: unknown }>(method, path, body, status);
    this.names.add(made.id);
    if (typeof made.name === 'string') this.names.add(made.name);
    return made;
  }

  workflow(): Promise<{ id: string }> {
    return this.once('workflow', () => this.create('POST', '/workflows', { name: 'Fixture: waits for approval', graph: WAITING_GRAPH }));
  }

  publishedVersion(): Promise<number> {
    return this.once('version', async () => {
      const { id } = await this.workflow();
      return (await this.send<{ number: number }>('POST', `/workflows/${id}/versions`, undefined, 201)).number;
    });
  }

  run(): Promise<{ id: string }> {
    return this.once('run', async () => {
      const { id } = await this.workflow();
      await this.publishedVersion();
      return this.create('POST', `/workflows/${id}/runs`, { inputs: {} }, 202);
    });
  }

  credential(): Promise<{ id: string }> {
    return this.once('credential', () => this.create('POST', '/credentials', { name: 'Fixture token', kind: 'http_bearer', data: { token: 'fixture-secret' } }));
  }

  /**
   * A fresh invitation to the viewer's email, into a new workspace of another owner, on every call: accepting or
   * declining uses one up, and only the viewer may answer it.
   */
  async invitation(): Promise<{ id: string }> {
    const inviter = await this.once('inviter', () => this.api.signUp('inviter'));
    const workspace = await this.api.request<{ id: string }>('POST', `${API_BASE_PATH}/workspaces`, { token: inviter.token, body: { name: 'Fixture: inviting' } });
    const invited = await this.api.request<{ id: string }>('POST', `${API_BASE_PATH}/workspaces/${workspace.body.id}/invitations`, {
      token: inviter.token,
      body: { email: this.viewer.email, role: 'viewer' },
    });
    if (invited.status !== 201) throw new Error(`fixture invitation answered ${invited.status}: ${invited.text}`);
    this.names.add(invited.body.id);
    return invited.body;
  }

  apiKey(): Promise<{ id: string }> {
    return this.once('apiKey', () => this.create('POST', '/api-keys', { name: 'Fixture key' }));
  }

  /** Paused, and hourly, so it never starts a run by itself during the tests. */
  schedule(): Promise<{ id: string }> {
    return this.once('schedule', async () => {
      const { id } = await this.workflow();
      await this.publishedVersion();
      return this.create('POST', '/schedules', { workflowId: id, name: 'Fixture schedule', spec: { intervals: [{ every: '1h' }] }, paused: true });
    });
  }

  /**
   * Endpoints belong to published versions with a Webhook node. No route makes one, so after publishing, the
   * endpoint is ensured the way publishing ensures it (idempotent: an endpoint publishing made is kept as it is).
   */
  /** A collection with no chunks: made the same way with or without pgvector. */
  collection(): Promise<{ id: string }> {
    return this.once('collection', () => this.create('POST', '/collections', { name: 'Fixture collection', dimension: 8 }));
  }

  /** A chat session with the fixture workflow, which has no Chat trigger: its messages answer 400, yet every guard before that applies. */
  chatSession(): Promise<{ id: string }> {
    return this.once('chatSession', async () => this.create('POST', `/workflows/${(await this.workflow()).id}/chat/sessions`, {}));
  }

  /** The public chat endpoint that publishing a workflow with a Chat trigger gives it. */
  chatEndpoint(): Promise<{ id: string }> {
    return this.once('chatEndpoint', async () => {
      const { id } = await this.create('POST', '/workflows', { name: 'Fixture: public chat', graph: CHAT_GRAPH });
      await this.send('POST', `/workflows/${id}/versions`, undefined, 201);
      const { items } = await this.send<{ items: { id: string }[] }>('GET', `/workflows/${id}/chat/endpoints`, undefined, 200);
      this.names.add(items[0].id);
      return items[0];
    });
  }

  webhook(): Promise<{ id: string }> {
    return this.once('webhook', async () => {
      const { id } = await this.create('POST', '/workflows', { name: 'Fixture: webhook', graph: WEBHOOK_GRAPH });
      const { number } = await this.send<{ number: number }>('POST', `/workflows/${id}/versions`, undefined, 201);
      const em = this.api.services.orm.em.fork();
      await ensureWebhooksForVersion(this.api.services, em, await em.findOneOrFail(WorkflowVersion, { workflow: id, number }));
      const [endpoint] = await this.send<{ id: string }[]>('GET', `/webhooks?workflowId=${id}`, undefined, 200);
      this.names.add(endpoint.id);
      return endpoint;
    });
  }
}

/** Each `:param` name a route may use, and the real value of A that fills it. */
const PARAM_VALUES: Record<string, (resources: WorkspaceResources) => Promise<ParamValue>> = {
  workspaceId: async (resources) => ({ value: resources.owner.workspaceId, ownedByWorkspace: true }),
  workflowId: async (resources) => ({ value: (await resources.workflow()).id, ownedByWorkspace: true }),
  versionNumber: async (resources) => ({ value: String(await resources.publishedVersion()), ownedByWorkspace: true }),
  runId: async (resources) => ({ value: (await resources.run()).id, ownedByWorkspace: true }),
  // A node of the run's graph: named by the graph, not a stored resource of the workspace.
  nodeId: async (resources) => {
    await resources.run();
    return { value: WAITING_NODE, ownedByWorkspace: false };
  },
  credentialId: async (resources) => ({ value: (await resources.credential()).id, ownedByWorkspace: true }),
  apiKeyId: async (resources) => ({ value: (await resources.apiKey()).id, ownedByWorkspace: true }),
  // Not A's, but the viewer's alone: anyone else finds nothing by its id.
  invitationId: async (resources) => ({ value: (await resources.invitation()).id, ownedByWorkspace: true }),
  webhookId: async (resources) => ({ value: (await resources.webhook()).id, ownedByWorkspace: true }),
  scheduleId: async (resources) => ({ value: (await resources.schedule()).id, ownedByWorkspace: true }),
  userId: async (resources) => ({ value: resources.viewer.userId, ownedByWorkspace: true }),
  collectionId: async (resources) => ({ value: (await resources.collection()).id, ownedByWorkspace: true }),
  sessionId: async (resources) => ({ value: (await resources.chatSession()).id, ownedByWorkspace: true }),
  endpointId: async (resources) => ({ value: (await resources.chatEndpoint()).id, ownedByWorkspace: true }),
  type: async () => ({ value: 'set', ownedByWorkspace: false }),
};

type SampleBody = (context: { api: ApiHarness; owner: TestAccount; resources: WorkspaceResources }) => unknown;

/**
 * Keyed by {@link routeKey}: bodies that cannot be derived from the schema (a unique email, a live token, a field
 * that must name something real, fields that must agree). Every other route's body is derived from its schema by
 * {@link derivedSample}.
 */
const SAMPLE_BODIES: Partial<Record<string, SampleBody>> = {
  'POST /auth/signup': () => ({ email: `fresh-${randomUUID()}@example.com`, password: 'correct horse battery staple' }),
  'POST /auth/signin': ({ owner }) => ({ email: owner.email, password: owner.password }),
  'POST /auth/refresh': async ({ api }) => ({ refreshToken: (await api.signUp('session')).refreshToken }),
  'POST /auth/signout': async ({ api }) => ({ refreshToken: (await api.signUp('session')).refreshToken }),
  'PATCH /workflows/:workflowId': () => ({ name: 'Renamed fixture', tags: ['fixture'] }),
  'POST /workflows/import': () => ({ kaiFusion: 1, workflow: { name: 'Imported fixture', graph: WAITING_GRAPH } }),
  'PATCH /credentials/:credentialId': () => ({ name: 'Renamed fixture token' }),
  'POST /runs/:runId/rerun': () => ({ fromNode: WAITING_NODE }),
  'POST /schedules': async ({ resources }) => {
    await resources.publishedVersion();
    return { workflowId: (await resources.workflow()).id, name: 'Another fixture schedule', spec: { intervals: [{ every: '1h' }] }, paused: true };
  },
  'PATCH /schedules/:scheduleId': () => ({ name: 'Renamed fixture schedule' }),
  'PATCH /webhooks/:webhookId': () => ({ rateLimitPerMinute: 120 }),
  'POST /collections/:collectionId/search': () => ({ query: 'fixture' }),
  // Ten minutes in which an hourly schedule has nothing due, so a backfill starts no run.
  'POST /schedules/:scheduleId/backfill': () => ({ start: '2020-01-01T00:10:00Z', end: '2020-01-01T00:20:00Z' }),
};

/** The routes SAMPLE_BODIES has an entry for, so a test can flag entries left behind by a removed route. */
export function sampleBodyKeys(): string[] {
  return Object.keys(SAMPLE_BODIES);
}

export interface RouteFixtures {
  api: ApiHarness;
  /** Owner of workspace A, which holds every fixture resource. */
  owner: TestAccount;
  /** A viewer member of A, acting in A. */
  viewer: RequestOptions;
  /** A user of another workspace (B), acting in their own. */
  stranger: TestAccount;
  /** Values for every `:param` of the route; throws, naming this file, for a param it does not know. */
  paramsOf(route: AnyRoute): Promise<Record<string, ParamValue>>;
  /** A's value for a param, query or body field named like a path param (`workflowId`); throws, naming this file, for a name it does not know. */
  valueOf(name: string, usedBy: string): Promise<ParamValue>;
  /** The route's URL below the API base, with its params filled (by `overrides` first) and URL-encoded. */
  urlOf(route: AnyRoute, overrides?: Record<string, string>): Promise<string>;
  /** A body its schema accepts, or undefined for routes without one; throws, naming this file, when none is known. */
  sampleBody(route: AnyRoute): Promise<unknown>;
  /** Every id and name of A's resources made so far. */
  resourceNames(): string[];
  /** Calls the route; a streaming route is read up to its headers, then the stream is dropped. */
  call(route: AnyRoute, options?: RequestOptions & { params?: Record<string, string>; query?: string }): Promise<ApiResponse>;
  /** Closes the API harness the fixtures live on. */
  close(): Promise<void>;
}

/** The fixtures on an API harness of their own; should making them fail, the harness is closed again. */
export async function createRouteFixtures(): Promise<RouteFixtures> {
  const api = await createApiHarness();
  try {
    return await fixturesOn(api);
  } catch (error) {
    await api.close();
    throw error;
  }
}

async function fixturesOn(api: ApiHarness): Promise<RouteFixtures> {
  const owner = await api.signUp('owner-a');
  const viewerAccount = await api.signUp('viewer-a');
  const stranger = await api.signUp('stranger-b');
  await api.addMember(owner, viewerAccount, 'viewer');
  const resources = new WorkspaceResources(api, owner, viewerAccount);

  const valueOf = (name: string, usedBy: string) => {
    const fill = PARAM_VALUES[name];
    if (!fill) {
      throw new Error(
        `${usedBy} names "${name}", which test/route-fixtures.ts cannot fill: add "${name}" to PARAM_VALUES there ` +
          '(a real value of workspace A, made through the API), so the authorization matrix and the fuzz tests cover it',
      );
    }
    return fill(resources);
  };

  const paramsOf = async (route: AnyRoute) => {
    const entries = await Promise.all(pathParamNames(route).map(async (name) => [name, await valueOf(name, `${routeKey(route)} (path param)`)] as const));
    return Object.fromEntries(entries);
  };

  const urlOf = async (route: AnyRoute, overrides: Record<string, string> = {}) => {
    const params = await paramsOf(route);
    return API_BASE_PATH + route.path.replace(/:([A-Za-z0-9_]+)/g, (_match, name: string) => encodeURIComponent(overrides[name] ?? params[name].value));
  };

  const fixtures: RouteFixtures = {
    api,
    owner,
    viewer: { token: viewerAccount.token, headers: { 'x-kai-workspace': owner.workspaceId } },
    stranger,
    paramsOf,
    valueOf,
    urlOf,
    async sampleBody(route) {
      if (!route.body) return undefined;
      const listed = SAMPLE_BODIES[routeKey(route)];
      const sample = listed ? await listed({ api, owner, resources }) : derivedSample(route.body);
      const checked = (route.body as z.ZodType).safeParse(sample);
      if (!checked.success) {
        throw new Error(
          `no valid sample body for ${routeKey(route)}: ${listed ? 'its entry in SAMPLE_BODIES no longer fits the schema' : 'one cannot be derived from the schema'} ` +
            `(${checked.error.issues.map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`).join('; ')}); ` +
            `add or fix "${routeKey(route)}" in SAMPLE_BODIES of test/route-fixtures.ts`,
        );
      }
      return sample;
    },
    resourceNames: () => [...resources.names],
    async call(route, options = {}) {
      const url = (await urlOf(route, options.params)) + (options.query ? `?${options.query}` : '');
      if (!route.streams) return api.request(route.method.toUpperCase(), url, options);
      return readHead(api.url + url, route.method.toUpperCase(), options);
    },
    close: () => api.close(),
  };
  return fixtures;
}

/** A streaming answer's status and headers; the body never ends while the resource lives, so it is not read. */
async function readHead(url: string, method: string, options: RequestOptions): Promise<ApiResponse> {
  const body = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  const headers: Record<string, string> = { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const response = await fetch(url, { method, headers, body });
  if (response.headers.get('content-type')?.startsWith('text/event-stream')) {
    await response.body?.cancel();
    return { status: response.status, headers: response.headers, body: undefined, text: '' };
  }
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined, text };
}

type JsonSchema = Record<string, unknown> & { type?: string; properties?: Record<string, JsonSchema>; required?: string[] };

/** The smallest value the body's JSON Schema describes: required fields only, each at its lower bound. */
function derivedSample(schema: z.ZodType): unknown {
  return sampleOf(z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema);
}

function sampleOf(schema: JsonSchema): unknown {
  if ('const' in schema) return schema.const;
  if (Array.isArray(schema.enum)) return schema.enum[0];
  if ('default' in schema) return schema.default;
  const variants = (schema.oneOf ?? schema.anyOf) as JsonSchema[] | undefined;
  if (variants) return sampleOf(variants[0]);
  switch (schema.type) {
    case 'object':
      return Object.fromEntries((schema.required ?? []).map((name) => [name, sampleOf(schema.properties?.[name] ?? {})]));
    case 'array':
      return Array.from({ length: Number(schema.minItems ?? 0) }, () => sampleOf((schema.items ?? {}) as JsonSchema));
    case 'string':
      return stringSample(schema);
    case 'integer':
    case 'number':
      return Number(schema.minimum ?? 1);
    case 'boolean':
      return true;
    case 'null':
      return null;
    default:
      return {};
  }
}

function stringSample(schema: JsonSchema): string {
  switch (schema.format) {
    case 'email':
      return 'sample@example.com';
    case 'uuid':
      return randomUUID();
    case 'date-time':
      return new Date().toISOString();
    case 'uri':
      return 'https://example.com/';
    default:
      return 'sample'.padEnd(Number(schema.minLength ?? 0), 'x');
  }
}
