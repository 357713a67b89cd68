import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import pino from 'pino';
import { createApiHarness, type ApiHarness, type TestAccount } from '../../test/api-harness';
import { requestLog, requestLogging } from './request-logging';

let api: ApiHarness;
let account: TestAccount;
beforeAll(async () => {
  api = await createApiHarness();
  account = await api.signUp('logged');
}, 120_000);
afterAll(() => api?.close());

interface LogLine {
  level: number;
  msg: string;
  reqId: string;
  method: string;
  route?: string;
  path?: string;
  status: number;
  durationMs: number;
  userId?: string;
  workspaceId?: string;
}

/** The request's line is written when its response closes, which may be just after the client has the answer. */
async function lineOf(reqId: string): Promise<LogLine> {
  for (let waited = 0; waited < 2_000; waited += 10) {
    const line = api.logs.map((text) => JSON.parse(text) as LogLine).find((entry) => entry.reqId === reqId && entry.status !== undefined);
    if (line) return line;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`no request log line with reqId ${reqId}`);
}

test('one line per request: id, method, route pattern, status, duration, user and workspace', async () => {
  const response = await api.request('DELETE', '/api/v1/api-keys/00000000-0000-4000-8000-000000000000', {
    token: account.token,
    headers: { 'x-request-id': 'trace-42.a', cookie: 'session=cookie-value-never-logged' },
  });
  expect(response.status).toBe(404);
  expect(response.headers.get('x-request-id')).toBe('trace-42.a');
  const line = await lineOf('trace-42.a');
  expect(line).toEqual(
    expect.objectContaining({
      level: 40,
      method: 'DELETE',
      route: '/api/v1/api-keys/:apiKeyId',
      status: 404,
      userId: account.userId,
      workspaceId: account.workspaceId,
    }),
  );
  expect(line.path).toBeUndefined();
  expect(line.durationMs).toBeGreaterThan(0);
  expect(api.logs.filter((text) => text.includes('trace-42.a'))).toHaveLength(1);
});

test('a request id that is not a plain token is replaced by a generated one, which is echoed', async () => {
  for (const hostile of ['x'.repeat(129), 'two words', '<script>alert(1)</script>', '"},"admin":true']) {
    const response = await api.request('GET', '/health', { headers: { 'x-request-id': hostile } });
    const echoed = response.headers.get('x-request-id') ?? '';
    expect(echoed).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(await lineOf(echoed)).toMatchObject({ method: 'GET', route: '/health', status: 200, level: 30 });
  }
  expect(api.logs.join('\n')).not.toContain('<script>');
});

test('unmatched paths log the path; routes log their pattern, never the ids in the URL', async () => {
  const unmatched = await api.request('GET', '/api/v1/no-such-thing?token=query-secret');
  const unmatchedLine = await lineOf(unmatched.headers.get('x-request-id') ?? '');
  expect(unmatchedLine).toMatchObject({ path: '/api/v1/no-such-thing', status: 404 });
  expect(unmatchedLine.route).toBeUndefined();
  const invalid = await api.request('DELETE', '/api/v1/api-keys/not-a-uuid', { token: account.token });
  expect(invalid.status).toBe(400);
  const line = await lineOf(invalid.headers.get('x-request-id') ?? '');
  expect(line).toMatchObject({ route: '/api/v1/api-keys/:apiKeyId', status: 400, userId: account.userId });
  expect(JSON.stringify(line)).not.toContain('not-a-uuid');
  expect(api.logs.join('\n')).not.toContain('query-secret');
});

test('no password, token, cookie or body reaches the logs', async () => {
  const password = 'wrong-password-never-logged';
  const signIn = await api.request('POST', '/api/v1/auth/signin', {
    body: { email: account.email, password },
    headers: { cookie: 'refresh=cookie-never-logged' },
  });
  expect(signIn.status).toBe(401);
  const signInLine = await lineOf(signIn.headers.get('x-request-id') ?? '');
  expect(signInLine).toMatchObject({ route: '/api/v1/auth/signin', status: 401 });
  expect(signInLine.userId).toBeUndefined();
  const created = await api.request('POST', '/api/v1/api-keys', { token: account.token, body: { name: 'logged key' } });
  expect(created.status).toBe(201);
  await api.request('GET', '/api/v1/auth/me', { token: created.body.key });
  await lineOf(created.headers.get('x-request-id') ?? '');
  const logs = api.logs.join('\n');
  for (const secret of [password, account.password, account.token, account.refreshToken, created.body.key, 'cookie-never-logged', 'cookie-value-never-logged', 'logged key']) {
    expect(logs).not.toContain(secret);
  }
});

test("the request's logger redacts secret-named fields at any depth an error object may carry them", async () => {
  const lines: string[] = [];
  const app = express();
  app.use(requestLogging(pino({}, { write: (line: string) => void lines.push(line) })));
  app.get('/boom', (request, response) => {
    const cause = Object.assign(new Error('upstream refused'), { config: { headers: { authorization: 'Bearer upstream-token', cookie: 'sid=1' } } });
    requestLog(request, pino({ level: 'silent' })).error(
      { err: cause, user: { email: 'a@example.com', password: 'pw-1', apiKey: 'ak-1' }, body: { anything: 'body-1' }, nested: { deeper: { secret: 's-1', refreshToken: 'rt-1' } } },
      'upstream failed',
    );
    response.status(502).end();
  });
  const server = createServer(app).listen(0, '127.0.0.1');
  await once(server, 'listening');
  try {
    const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/boom`, { headers: { 'x-request-id': 'boom-1' } });
    expect(response.status).toBe(502);
  } finally {
    server.close();
    await once(server, 'close');
  }
  const [failure, request] = lines.map((line) => JSON.parse(line));
  expect(failure).toMatchObject({
    reqId: 'boom-1',
    err: { message: 'upstream refused', config: { headers: { authorization: '[redacted]', cookie: '[redacted]' } } },
    user: { email: 'a@example.com', password: '[redacted]', apiKey: '[redacted]' },
    body: '[redacted]',
    nested: { deeper: { secret: '[redacted]', refreshToken: '[redacted]' } },
  });
  expect(request).toMatchObject({ reqId: 'boom-1', route: '/boom', status: 502, level: 50 });
  expect(lines.join('\n')).not.toMatch(/upstream-token|pw-1|ak-1|body-1|s-1|rt-1|sid=1/);
});
