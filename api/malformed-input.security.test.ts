import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { ApiResponse } from '../test/api-harness';
import { createRouteFixtures, namedRoutes, type RouteFixtures } from '../test/route-fixtures';
import { echoGraph, publishGraph } from '../test/webhook-fixture';
import { MAX_JSON_NESTING_DEPTH } from './http/json-nesting';
import { apiRoutes } from './routes';

/**
 * Crafted input that once reached the database or a recursive walk and answered 500: each is refused with a 400
 * that names the field (or, for a webhook body, the nesting limit), and the service keeps answering.
 */

let fixtures: RouteFixtures;
beforeAll(async () => {
  fixtures = await createRouteFixtures();
}, 120_000);
afterAll(() => fixtures?.close());

type ErrorAnswer = { error?: { message?: string; details?: { path: string }[] } } | undefined;
const errorOf = (response: ApiResponse) => (response.body as ErrorAnswer)?.error;
const detailPaths = (response: ApiResponse) => errorOf(response)?.details?.map((detail) => detail.path);

const cursorOf = (position: unknown) => Buffer.from(JSON.stringify(position)).toString('base64url');
const at = new Date().toISOString();

/** Cursors no page handed out: ids the listed rows cannot have, a NUL in the id or in the cursor itself, junk. */
const BAD_CURSORS: Record<string, string> = {
  'id with a NUL': cursorOf({ at, id: `${randomUUID()}\u0000` }),
  'id not a uuid': cursorOf({ at, id: 'not-a-uuid' }),
  'id a run id with a NUL': cursorOf({ at, id: `run-${randomUUID()}\u0000` }),
  'id a number': cursorOf({ at, id: 42 }),
  'id an SQL fragment': cursorOf({ at, id: "' or 1=1 --" }),
  'at not a time': cursorOf({ at: 'yesterday', id: randomUUID() }),
  'a NUL in the cursor': `${cursorOf({ at, id: randomUUID() })}\u0000`,
  'not base64 JSON': '!!!',
};

/** Every route that pages with a cursor, found from the query schemas, so a new list route is covered too. */
const listRoutes = apiRoutes.filter((route) => route.query && 'cursor' in (z.toJSONSchema(route.query, { io: 'input' }).properties ?? {}));

test('the list routes that page with a cursor are the ones expected', () => {
  expect(namedRoutes(listRoutes).map(([key]) => key).sort()).toEqual(['GET /runs', 'GET /webhooks/:webhookId/deliveries', 'GET /workflows']);
});

describe.each(namedRoutes(listRoutes))('%s', (_key, route) => {
  test('a cursor it did not hand out answers 400 at query.cursor', async () => {
    const answers: Record<string, unknown> = {};
    for (const [label, cursor] of Object.entries(BAD_CURSORS)) {
      const response = await fixtures.call(route, { token: fixtures.owner.token, query: `cursor=${encodeURIComponent(cursor)}` });
      answers[label] = { status: response.status, paths: detailPaths(response) };
    }
    expect(answers).toEqual(Object.fromEntries(Object.keys(BAD_CURSORS).map((label) => [label, { status: 400, paths: ['query.cursor'] }])));
  });
});

test('the cursor of a real page still leads to the next page', async () => {
  for (let i = 0; i < 2; i++) {
    await fixtures.api.request('POST', '/api/v1/workflows', { token: fixtures.owner.token, body: { name: `paged ${i}` } });
  }
  const first = await fixtures.api.request('GET', '/api/v1/workflows?limit=1', { token: fixtures.owner.token });
  expect(first.body.nextCursor).toEqual(expect.any(String));
  const second = await fixtures.api.request('GET', `/api/v1/workflows?limit=1&cursor=${first.body.nextCursor}`, { token: fixtures.owner.token });
  expect(second.status).toBe(200);
  expect(second.body.items[0].id).not.toBe(first.body.items[0].id);
});

test('a webhook body nested past the limit answers 400 naming the limit, and one just within it starts a run', async () => {
  const { hooks } = await publishGraph(fixtures.api.services, fixtures.owner, echoGraph({ authMode: 'none' }));
  const deliver = (body: string) =>
    fixtures.api.request('POST', `/api/webhooks/${hooks.hook.id}`, { rawBody: body, headers: { 'content-type': 'application/json' } });
  for (const depth of [MAX_JSON_NESTING_DEPTH + 1, 3_000, 100_000]) {
    for (const body of ['['.repeat(depth) + ']'.repeat(depth), '{"a":'.repeat(depth) + '1' + '}'.repeat(depth)]) {
      const response = await deliver(body);
      expect({ depth, status: response.status, message: errorOf(response)?.message }).toEqual({
        depth,
        status: 400,
        message: expect.stringContaining(`limit of ${MAX_JSON_NESTING_DEPTH} levels`),
      });
    }
  }
  // Brackets inside strings are text, not nesting.
  const withinLimit = JSON.stringify({ text: '['.repeat(5_000), nested: JSON.parse('['.repeat(MAX_JSON_NESTING_DEPTH - 1) + ']'.repeat(MAX_JSON_NESTING_DEPTH - 1)) });
  expect((await deliver(withinLimit)).status).toBe(202);
});

test('an API body nested past the limit answers 400 naming the limit, before anything walks it', async () => {
  const depth = 3_000;
  const response = await fixtures.api.request('POST', '/api/v1/workflows', {
    token: fixtures.owner.token,
    rawBody: `{"name":"deep","graph":${'['.repeat(depth)}${']'.repeat(depth)}}`,
    headers: { 'content-type': 'application/json' },
  });
  expect({ status: response.status, message: errorOf(response)?.message }).toEqual({ status: 400, message: expect.stringContaining(`limit of ${MAX_JSON_NESTING_DEPTH} levels`) });
});

test('a collection search vector with a value past single precision answers 400 at that element', async () => {
  const collection = await fixtures.api.request('POST', '/api/v1/collections', { token: fixtures.owner.token, body: { name: 'vector bounds', dimension: 3 } });
  expect(collection.status).toBe(201);
  for (const value of [1e308, -1e308, 3.5e38]) {
    const response = await fixtures.api.request('POST', `/api/v1/collections/${collection.body.id}/search`, { token: fixtures.owner.token, body: { vector: [0.5, value, 0.5] } });
    expect({ value, status: response.status, paths: detailPaths(response) }).toEqual({
      value,
      status: 400,
      paths: ['body.vector.1'],
    });
  }
});

test('after all of it the server still answers /health', async () => {
  expect((await fixtures.api.request('GET', '/health')).status).toBe(200);
});
