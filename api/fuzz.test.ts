import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { ApiResponse, RequestOptions } from '../test/api-harness';
import { createRouteFixtures, namedRoutes, pathParamNames, type RouteFixtures } from '../test/route-fixtures';
import type { AnyRoute } from './http/define-route';
import { apiRoutes } from './routes';

/**
 * Every route, fed hostile input as the owner of the workspace holding the resources (so input reaches the
 * handlers): nothing may answer 5xx, and every 4xx must be in the error shape. Each value list is sampled per
 * field, rotating with the route, so every value meets many routes without every route meeting every value.
 */

let fixtures: RouteFixtures;
beforeAll(async () => {
  fixtures = await createRouteFixtures();
}, 120_000);
afterAll(() => fixtures?.close());

const JSON_LIMIT_BYTES = 1024 * 1024;
/** Nesting that still parses and so reaches the handlers, and nesting far past what any recursive walk survives. */
const DEEP = 2_500;
const ABYSMAL = 100_000;

const HOSTILE_IDS = [
  'not-a-uuid',
  'x'.repeat(10_000),
  '../../etc/passwd',
  'ünïcødé-☃-🚀',
  "' or 1=1 --",
  '<script>alert(1)</script>',
  '2147483648',
  '99999999999999999999',
  '-1',
  '1e308',
  ' ',
  'nul\u0000id',
];

const HOSTILE_STRINGS = [
  '',
  'x'.repeat(10_000),
  'nul\u0000byte',
  'ünïcødé ☃ 🚀 \u202egnp.exe',
  '\ud800 lone surrogate',
  "' or 1=1 --",
  "'); drop table users; --",
  '<script>alert(1)</script>',
  '{{ nodes.x.output.__proto__ }}',
  '../../etc/passwd',
  '__proto__',
];

/** Hostile strings as a URL carries them, plus percent-escapes that decode to no valid UTF-8. */
const HOSTILE_URL_TEXT = [...HOSTILE_STRINGS.filter((value) => !/\p{Surrogate}/u.test(value)).map(encodeURIComponent), '%ED%A0%80', '%FF', '%'];

const WRONG_TYPES: unknown[] = [123, -1.5, true, null, 'text', [], {}];
const HUGE_NUMBERS: unknown[] = [1e308, -1e308, 2 ** 64, Number.MAX_SAFE_INTEGER + 2, 2_147_483_648, 5e-324];

/**
 * Shaped like the real value but naming nothing: its uuid replaced, a number past the last, or its last letters and
 * digits each moved on by one (`wh_…Ab9` → `wh_…Bc0`), so prefixes and lengths that ids are checked for still hold.
 */
function unknownLike(value: string): string {
  const uuid = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;
  if (uuid.test(value)) return value.replace(uuid, randomUUID());
  if (/^\d+$/.test(value)) return String(Number(value) + 1000);
  const next = (char: string) => {
    const [first, size] = /\d/.test(char) ? ['0', 10] : /[a-z]/.test(char) ? ['a', 26] : /[A-Z]/.test(char) ? ['A', 26] : [char, 1];
    return String.fromCharCode(first.charCodeAt(0) + ((char.charCodeAt(0) - first.charCodeAt(0) + 1) % size));
  };
  return value.slice(0, -8) + [...value.slice(-8)].map(next).join('');
}

/** `count` values of the list, a different slice for each seed, so the routes together use every value. */
function sampled<T>(values: readonly T[], count: number, seed: number): T[] {
  return Array.from({ length: Math.min(count, values.length) }, (_, i) => values[(seed * count + i) % values.length]);
}

type JsonSchema = { type?: string; properties?: Record<string, JsonSchema>; oneOf?: JsonSchema[]; anyOf?: JsonSchema[] };

/** The top-level fields of a body or query schema with their JSON types (unions merged), known before any request. */
function fieldsOf(schema: z.ZodType | undefined): Map<string, string | undefined> {
  const fields = new Map<string, string | undefined>();
  if (!schema) return fields;
  const visit = (json: JsonSchema) => {
    for (const variant of [...(json.oneOf ?? []), ...(json.anyOf ?? [])]) visit(variant);
    for (const [name, property] of Object.entries(json.properties ?? {})) fields.set(name, fields.get(name) ?? property.type);
  };
  visit(z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema);
  return fields;
}

interface Case {
  label: string;
  options: RequestOptions & { params?: Record<string, string>; query?: string };
}

/** What is wrong with the answer: a 5xx, or a 4xx not in the `{ error: { code, message, details } }` shape. */
function problemWith(label: string, response: ApiResponse): string | undefined {
  if (response.status >= 500) return `${label}: ${response.status} ${response.text.slice(0, 300)}`;
  if (response.status < 400) return undefined;
  const body = response.body as { error?: { code?: unknown; message?: unknown; details?: unknown } } | undefined;
  const shaped =
    body !== null &&
    typeof body === 'object' &&
    Object.keys(body).join() === 'error' &&
    typeof body.error?.code === 'string' &&
    typeof body.error.message === 'string' &&
    Array.isArray(body.error.details);
  return shaped ? undefined : `${label}: ${response.status} not in the error shape: ${response.text.slice(0, 300)}`;
}

/** Sends every case in turn (the server is one process; parallel requests would only queue) and lists what went wrong. */
async function problemsOf(route: AnyRoute, cases: Case[]): Promise<string[]> {
  const problems: string[] = [];
  for (const { label, options } of cases) {
    const problem = problemWith(label, await fixtures.call(route, { token: fixtures.owner.token, ...options }));
    if (problem) problems.push(problem);
  }
  return problems;
}

/** The sample body with one field's JSON text replaced by `raw` (for values JSON.stringify cannot produce). */
function withRawField(sample: Record<string, unknown>, field: string, raw: string): string {
  const marker = `__fuzz_${randomUUID()}__`;
  return JSON.stringify({ ...sample, [field]: marker }).replace(JSON.stringify(marker), raw);
}

const arrayBomb = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
const objectBomb = (depth: number) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);

/** Every route but GET ones, which fetch will not send a body with. */
const bodyCarryingRoutes = apiRoutes.filter((route) => route.method !== 'get');

describe.each(namedRoutes(bodyCarryingRoutes))('%s', (_key, route) => {
  const seed = apiRoutes.indexOf(route);
  const fields = fieldsOf(route.body);
  const sample = async () => (await fixtures.sampleBody(route)) as Record<string, unknown> | undefined;

  test('malformed JSON answers 400, an oversized body 413', async () => {
    const malformed = await fixtures.call(route, { token: fixtures.owner.token, rawBody: '{"name": "unterminated', headers: { 'content-type': 'application/json' } });
    expect({ status: malformed.status, body: malformed.body }).toEqual({ status: 400, body: { error: { code: 'bad_request', message: expect.stringMatching(/JSON/), details: [] } } });
    const oversized = await fixtures.call(route, {
      token: fixtures.owner.token,
      rawBody: JSON.stringify({ ...(await sample()), filler: 'x'.repeat(JSON_LIMIT_BYTES) }),
      headers: { 'content-type': 'application/json' },
    });
    expect({ status: oversized.status, code: (oversized.body as { error: { code: string } }).error.code }).toEqual({ status: 413, code: 'payload_too_large' });
  });

  if (!route.body) return;

  test('an unknown extra field answers 400 validation_failed', async () => {
    const response = await fixtures.call(route, { token: fixtures.owner.token, body: { ...(await sample()), unexpectedField: 1 } });
    expect({ status: response.status, code: (response.body as { error?: { code: string } }).error?.code }).toEqual({ status: 400, code: 'validation_failed' });
  });

  test('wrong types, hostile strings and huge numbers in each field', async () => {
    const body = await sample();
    const cases: Case[] = [...fields].flatMap(([field, type], index) => [
      ...sampled(WRONG_TYPES, 2, seed + index).map((value) => ({ label: `body.${field} = ${JSON.stringify(value)}`, options: { body: { ...body, [field]: value } } })),
      ...(type === 'string' || type === undefined ? sampled(HOSTILE_STRINGS, 3, seed + index) : []).map((value) => ({
        label: `body.${field} = ${JSON.stringify(value.slice(0, 40))}`,
        options: { body: { ...body, [field]: value } },
      })),
      ...(type === 'number' || type === 'integer' || type === undefined ? sampled(HUGE_NUMBERS, 2, seed + index) : []).map((value) => ({
        label: `body.${field} = ${String(value)}`,
        options: { body: { ...body, [field]: value } },
      })),
      { label: `body.${field} = 1e999 (Infinity once parsed)`, options: { rawBody: withRawField(body ?? {}, field, '1e999'), headers: { 'content-type': 'application/json' } } },
    ]);
    expect(await problemsOf(route, cases)).toEqual([]);
  });

  test('depth bombs and arrays where objects belong', async () => {
    const body = (await sample()) ?? {};
    const json = { 'content-type': 'application/json' };
    const cases: Case[] = [
      ...[DEEP, ABYSMAL].flatMap((depth) => [
        { label: `body = array nested ${depth} deep`, options: { rawBody: arrayBomb(depth), headers: json } },
        { label: `body = object nested ${depth} deep`, options: { rawBody: objectBomb(depth), headers: json } },
      ]),
      { label: 'body = [sample]', options: { body: [body] } },
      { label: 'body = []', options: { body: [] } },
      { label: 'body = "text"', options: { body: 'text' } },
      ...[...fields.keys()].flatMap((field) => [
        { label: `body.${field} = array nested ${DEEP} deep`, options: { rawBody: withRawField(body, field, arrayBomb(DEEP)), headers: json } },
        { label: `body.${field} = object nested ${DEEP} deep`, options: { rawBody: withRawField(body, field, objectBomb(DEEP)), headers: json } },
        { label: `body.${field} = [value]`, options: { body: { ...body, [field]: [body[field]] } } },
      ]),
    ];
    expect(await problemsOf(route, cases)).toEqual([]);
  });
});

describe.each(namedRoutes(apiRoutes.filter((route) => pathParamNames(route).length > 0)))('%s', (_key, route) => {
  const seed = apiRoutes.indexOf(route);

  test('bad ids in the path answer 4xx in the error shape', async () => {
    const body = await fixtures.sampleBody(route);
    const cases: Case[] = pathParamNames(route).flatMap((name, index) =>
      sampled(HOSTILE_IDS, 4, seed + index).map((value) => ({
        label: `:${name} = ${JSON.stringify(value.slice(0, 40))}`,
        options: { params: { [name]: value }, body },
      })),
    );
    expect(await problemsOf(route, cases)).toEqual([]);
  });

  test('a well-formed id that names nothing answers 404', async () => {
    const params = await fixtures.paramsOf(route);
    const body = await fixtures.sampleBody(route);
    const ids = pathParamNames(route).filter((name) => params[name].ownedByWorkspace);
    const answers: Record<string, unknown> = {};
    for (const name of ids) {
      const response = await fixtures.call(route, { token: fixtures.owner.token, params: { [name]: unknownLike(params[name].value) }, body });
      answers[name] = { status: response.status, code: (response.body as { error?: { code?: string } } | undefined)?.error?.code };
    }
    expect(answers).toEqual(Object.fromEntries(ids.map((name) => [name, { status: 404, code: 'not_found' }])));
  });
});

describe.each(namedRoutes(apiRoutes.filter((route) => route.query)))('%s', (_key, route) => {
  const seed = apiRoutes.indexOf(route);

  test('hostile query values answer 2xx or 4xx in the error shape; an unknown one answers 400', async () => {
    const cases: Case[] = [...fieldsOf(route.query).keys()].flatMap((name, index) => [
      ...[...sampled(HOSTILE_URL_TEXT, 5, seed + index), ...sampled(HUGE_NUMBERS, 2, seed + index).map(String)].map((value) => ({
        label: `?${name}=${value.slice(0, 40)}`,
        options: { query: `${name}=${value}` },
      })),
      { label: `?${name} twice`, options: { query: `${name}=a&${name}=b` } },
      { label: `?${name}[nested]=1`, options: { query: `${name}[nested]=1` } },
    ]);
    expect(await problemsOf(route, cases)).toEqual([]);
    const unknown = await fixtures.call(route, { token: fixtures.owner.token, query: 'unexpectedParam=1', body: await fixtures.sampleBody(route) });
    expect(unknown.status).toBe(400);
  });
});

test('a body with a NUL character or an unpaired surrogate, even in a key, is refused as malformed before any route', async () => {
  for (const rawBody of ['{"name":"nul\\u0000"}', '{"name":"\\ud800"}', '{"deep":[{"x\\u0000":1}]}']) {
    const response = await fixtures.api.request('POST', '/api/v1/workflows', { token: fixtures.owner.token, rawBody, headers: { 'content-type': 'application/json' } });
    expect({ rawBody, status: response.status, body: response.body }).toEqual({
      rawBody,
      status: 400,
      body: { error: { code: 'bad_request', message: expect.stringContaining('well-formed Unicode'), details: [] } },
    });
  }
});

test('hostile Authorization and X-Kai-Workspace headers answer 401 or 404', async () => {
  const route = apiRoutes.find((candidate) => candidate.access !== 'public' && candidate.method === 'get' && !candidate.path.includes(':'));
  if (!route) throw new Error('no signed-in GET route to try headers on');
  const headers: Record<string, string>[] = [
    { authorization: `Bearer ${'x'.repeat(8_000)}` },
    { authorization: 'Bearer kai_key_<script>' },
    { authorization: "Bearer ' or 1=1 --" },
    { authorization: 'Basic dXNlcjpwYXNz' },
    { authorization: 'Bearer' },
    { authorization: `Bearer ${fixtures.owner.token}`, 'x-kai-workspace': '../../etc/passwd' },
    { authorization: `Bearer ${fixtures.owner.token}`, 'x-kai-workspace': "' or 1=1 --" },
    { authorization: `Bearer ${fixtures.owner.token}`, 'x-kai-workspace': randomUUID() },
  ];
  const statuses = [];
  for (const header of headers) {
    const response = await fixtures.call(route, { headers: header });
    expect(problemWith(JSON.stringify(header).slice(0, 80), response)).toBeUndefined();
    statuses.push(response.status);
  }
  expect(statuses).toEqual([401, 401, 401, 401, 401, 404, 404, 404]);
});

test('after all of it the server still answers /health', async () => {
  const response = await fixtures.api.request('GET', '/health');
  expect(response.status).toBe(200);
  expect(response.body).toMatchObject({ status: 'ok' });
});
