import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { nodeDefinitions } from '../../activities/registry';
import { graphSchema } from '../../engine/graph';
import { hasTemplate } from '../../engine/templates';
import { createApiHarness, type ApiHarness, type TestAccount } from '../../test/api-harness';
import type { NodeTypeDto } from '../../contract/nodes';

let api: ApiHarness;
let account: TestAccount;
beforeAll(async () => {
  api = await createApiHarness();
  account = await api.signUp('catalogue');
}, 120_000);
afterAll(() => api?.close());

type JsonSchema = Record<string, unknown>;

/**
 * Checks a value against the subset of JSON Schema that zod's toJSONSchema writes, and returns where it fails.
 * A string holding a {{ template }} stands for any value, as the catalogue documents (the engine checks it per run).
 */
function jsonSchemaErrors(schema: JsonSchema, value: unknown, at = 'config'): string[] {
  if (hasTemplate(value)) return [];
  const fail = (message: string) => [`${at}: ${message}`];
  if ('const' in schema && schema.const !== value) return fail(`expected ${JSON.stringify(schema.const)}`);
  if (Array.isArray(schema.enum) && !schema.enum.includes(value)) return fail(`expected one of ${schema.enum.join(', ')}`);
  if (Array.isArray(schema.anyOf) && !schema.anyOf.some((option) => jsonSchemaErrors(option, value, at).length === 0)) return fail('matches no anyOf option');
  if (Array.isArray(schema.oneOf) && schema.oneOf.filter((option) => jsonSchemaErrors(option, value, at).length === 0).length !== 1) {
    return fail('matches not exactly one oneOf option');
  }
  if (schema.type !== undefined) {
    const types = ([] as unknown[]).concat(schema.type);
    if (!types.some((type) => jsonTypeMatches(type, value))) return fail(`expected ${types.join(' or ')}`);
  }
  if (typeof value === 'string') {
    if (typeof schema.minLength === 'number' && value.length < schema.minLength) return fail('too short');
    if (typeof schema.maxLength === 'number' && value.length > schema.maxLength) return fail('too long');
    if (typeof schema.pattern === 'string' && !new RegExp(schema.pattern, 'u').test(value)) return fail(`does not match ${schema.pattern}`);
  }
  if (typeof value === 'number') {
    if (typeof schema.minimum === 'number' && value < schema.minimum) return fail('below the minimum');
    if (typeof schema.maximum === 'number' && value > schema.maximum) return fail('above the maximum');
  }
  if (Array.isArray(value)) {
    if (typeof schema.minItems === 'number' && value.length < schema.minItems) return fail('too few items');
    if (typeof schema.maxItems === 'number' && value.length > schema.maxItems) return fail('too many items');
    if (schema.items) return value.flatMap((item, index) => jsonSchemaErrors(schema.items as JsonSchema, item, `${at}.${index}`));
  }
  if (isObject(value)) {
    const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
    const missing = ((schema.required ?? []) as string[]).filter((name) => !(name in value));
    if (missing.length > 0) return fail(`missing ${missing.join(', ')}`);
    return Object.entries(value).flatMap(([name, field]) => {
      if (properties[name]) return jsonSchemaErrors(properties[name], field, `${at}.${name}`);
      if (schema.additionalProperties === false) return [`${at}.${name}: not allowed`];
      return isObject(schema.additionalProperties) ? jsonSchemaErrors(schema.additionalProperties, field, `${at}.${name}`) : [];
    });
  }
  return [];
}

function jsonTypeMatches(type: unknown, value: unknown): boolean {
  if (type === 'integer') return Number.isInteger(value);
  if (type === 'array') return Array.isArray(value);
  if (type === 'object') return isObject(value);
  if (type === 'null') return value === null;
  return typeof value === type;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

async function catalogue(): Promise<NodeTypeDto[]> {
  const answer = await api.request<NodeTypeDto[]>('GET', '/api/v1/nodes', { token: account.token });
  expect(answer.status).toBe(200);
  return answer.body;
}

test('the catalogue lists every node type with handles, defaults and JSON Schemas', async () => {
  const types = await catalogue();
  expect(types.map((t) => t.type).sort()).toEqual([...new Set(nodeDefinitions.map((d) => d.type))].sort());
  expect(types.map((t) => t.type)).toEqual(expect.arrayContaining(['start', 'end', 'set', 'http-request', 'condition', 'delay', 'approval']));
  for (const type of types) {
    expect(type.configSchema).toMatchObject({ $schema: 'https://json-schema.org/draft/2020-12/schema', type: 'object' });
    expect(type.outputSchema).toHaveProperty('$schema');
    expect(type.versions).toContain(type.version);
    expect(type.reliabilitySchema === null).toBe(type.kind !== 'task');
    expect(type.retry === null).toBe(type.kind !== 'task');
  }

  // The palette's synonyms come with the catalogue.
  expect(types.find((t) => t.type === 'condition')?.keywords).toContain('if');
  expect(types.find((t) => t.type === 'start')?.keywords).toEqual([]);

  const http = types.find((t) => t.type === 'http-request');
  expect(http).toMatchObject({
    version: 1,
    category: 'network',
    kind: 'task',
    handles: { inputs: [{ id: 'in', label: 'Input' }], outputs: [{ id: 'out', label: 'Response' }] },
    credentialKinds: ['http_bearer', 'http_basic', 'http_header'],
    retry: { maximumAttempts: 5, nonRetryableErrorTypes: ['HttpClientError'] },
    timeouts: { startToClose: '2m' },
  });
  // Fields with defaults are optional in what people write: only the URL must be given.
  expect(http?.configSchema).toMatchObject({ required: ['url'], additionalProperties: false, properties: { method: { default: 'GET' } } });
  expect(http?.outputSchema).toMatchObject({ required: ['status', 'body'] });
  expect(http?.reliabilitySchema).toMatchObject({
    type: 'object',
    additionalProperties: false,
    properties: { retry: { properties: { maximumAttempts: { type: 'integer', minimum: 1, maximum: 100 } } }, continueOnError: { type: 'boolean' } },
  });
  expect(http?.tool).toMatchObject({
    description: expect.any(String),
    settingsSchema: { type: 'object', additionalProperties: false, properties: { toolDescription: { type: 'string', minLength: 1, maxLength: 1000 } } },
  });
  expect(types.find((t) => t.type === 'condition')?.handles.outputs.map((h) => h.id)).toEqual(['true', 'false']);
  expect(types.find((t) => t.type === 'set')?.tool).toBeNull();
});

test('the schemas name the widget of each field the canvas cannot draw by its JSON type', async () => {
  const types = await catalogue();
  const widgetAt = (type: string, ...path: string[]) => {
    const schema = types.find((t) => t.type === type);
    return path.reduce<unknown>((at, key) => (at as JsonSchema | undefined)?.[key], schema);
  };
  // Every credential id is a picker: a node added with a bare string would show a text box for a credential's uuid.
  const credentialIds = types.map((t) => (t.configSchema.properties as Record<string, JsonSchema> | undefined)?.credentialId).filter((field) => field !== undefined);
  expect(credentialIds.length).toBeGreaterThanOrEqual(8);
  for (const field of credentialIds) expect(field).toMatchObject({ widget: 'credential' });
  expect(widgetAt('delay', 'configSchema', 'properties', 'duration', 'widget')).toBe('duration');
  expect(widgetAt('http-request', 'reliabilitySchema', 'properties', 'timeouts', 'properties', 'startToClose', 'widget')).toBe('duration');
  expect(widgetAt('http-request', 'tool', 'settingsSchema', 'properties', 'toolDescription', 'widget')).toBe('multiline');
  expect(widgetAt('llm-chat', 'configSchema', 'properties', 'prompt', 'widget')).toBe('multiline');
  expect(widgetAt('code', 'configSchema', 'properties', 'code', 'widget')).toBe('code');
  expect(widgetAt('transform', 'configSchema', 'properties', 'expression', 'widget')).toBe('expression');
  expect(widgetAt('condition', 'configSchema', 'properties', 'rules', 'widget')).toBe('condition-rules');
  expect(widgetAt('http-request', 'configSchema', 'properties', 'url', 'widget')).toBeUndefined();
});

test("every example graph's node data satisfies the catalogue's schemas", async () => {
  const byType = new Map((await catalogue()).map((type) => [type.type, type]));
  const examples = readdirSync(join(__dirname, '../../examples')).filter((file) => file.endsWith('.json'));
  expect(examples.length).toBeGreaterThanOrEqual(3);
  let checked = 0;
  for (const file of examples) {
    const graph = graphSchema.parse(JSON.parse(readFileSync(join(__dirname, '../../examples', file), 'utf8')));
    for (const node of graph.nodes) {
      const type = byType.get(node.type);
      if (!type) throw new Error(`${file}: node type ${node.type} is not in the catalogue`);
      expect({ file, node: node.id, errors: jsonSchemaErrors(type.configSchema, node.data.config) }).toEqual({ file, node: node.id, errors: [] });
      const { config: _config, ...reliability } = node.data;
      if (type.reliabilitySchema) expect(jsonSchemaErrors(type.reliabilitySchema, reliability, 'data')).toEqual([]);
      checked++;
    }
  }
  expect(checked).toBeGreaterThan(15);
});

test('the schemas reject what the engine rejects', async () => {
  const byType = new Map((await catalogue()).map((type) => [type.type, type]));
  const rejected: [string, unknown][] = [
    ['delay', {}],
    ['delay', { duration: -5 }],
    ['http-request', { url: 'http://x.test', method: 'FETCH' }],
    ['http-request', { method: 'GET' }],
    ['http-request', { url: 'http://x.test', body: { type: 'json' } }],
    ['condition', { rules: [] }],
    ['condition', { rules: [{ left: 1, operator: 'resembles' }] }],
    ['set', { values: {}, mode: 'append' }],
    ['start', { anything: true }],
    ['end', { response: { status: 100 } }],
  ];
  for (const [type, config] of rejected) {
    const schema = byType.get(type)?.configSchema ?? {};
    expect({ type, config, rejected: jsonSchemaErrors(schema, config).length > 0 }).toEqual({ type, config, rejected: true });
    const engine = nodeDefinitions.find((d) => d.type === type)?.config.safeParse(config);
    expect(engine?.success).toBe(false);
  }
  expect(jsonSchemaErrors(byType.get('http-request')?.reliabilitySchema ?? {}, { retry: { maximumAttempts: 0 } }, 'data')).not.toEqual([]);
});

test('categories count the node types; one type by name and version; unknown types are 404', async () => {
  const as = { token: account.token };
  const types = await catalogue();
  const categories = await api.request('GET', '/api/v1/nodes/categories', as);
  expect(categories.status).toBe(200);
  expect(Object.keys(categories.body).sort()).toEqual(['ai', 'data', 'documents', 'flow', 'network', 'trigger', 'vectors']);
  for (const [category, { label, count }] of Object.entries(categories.body as Record<string, { label: string; count: number }>)) {
    expect(label).toEqual(expect.any(String));
    expect(count).toBe(types.filter((t) => t.category === category).length);
  }
  expect(categories.body.flow.count).toBeGreaterThanOrEqual(4);

  const delay = await api.request('GET', '/api/v1/nodes/delay', as);
  expect(delay.body).toEqual(types.find((t) => t.type === 'delay'));
  expect((await api.request('GET', '/api/v1/nodes/delay?version=1', as)).body).toEqual(delay.body);
  const missingVersion = await api.request('GET', '/api/v1/nodes/delay?version=9', as);
  expect(missingVersion.status).toBe(404);
  expect(missingVersion.body.error.message).toContain('version 9');
  expect((await api.request('GET', '/api/v1/nodes/teleport', as)).status).toBe(404);
  expect((await api.request('GET', '/api/v1/nodes/delay?version=latest', as)).status).toBe(400);
  expect((await api.request('GET', '/api/v1/nodes')).status).toBe(401);
});
