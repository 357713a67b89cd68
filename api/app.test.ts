import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { createApp } from './app';

let server: Server;
let baseUrl: string;

beforeAll(async () => {
  server = createServer(createApp({ logger: pino({ level: 'silent' }) }));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.close();
  await once(server, 'close');
});

test('GET /health answers 200 with status ok', async () => {
  const response = await fetch(`${baseUrl}/health`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  expect(response.headers.get('x-powered-by')).toBeNull();
  const body = (await response.json()) as { status: string; uptimeSeconds: number };
  expect(body.status).toBe('ok');
  expect(body.uptimeSeconds).toBeGreaterThanOrEqual(0);
});

test('an unknown route answers a JSON 404 in the error shape', async () => {
  const response = await fetch(`${baseUrl}/no/such/route?x=1`, { method: 'DELETE' });
  expect(response.status).toBe(404);
  expect(await response.json()).toEqual({ error: { code: 'not_found', message: 'no route for DELETE /no/such/route', details: [] } });
});

test('a malformed JSON body answers 400 in the error shape, not an HTML page', async () => {
  const response = await fetch(`${baseUrl}/health`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"broken":' });
  expect(response.status).toBe(400);
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  const body = (await response.json()) as { error: { code: string; message: string; details: unknown[] } };
  expect(body.error.code).toBe('bad_request');
  expect(body.error.message).toMatch(/JSON/);
  expect(body.error.details).toEqual([]);
});

test('a body over the size limit answers 413 payload_too_large', async () => {
  const response = await fetch(`${baseUrl}/health`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ filler: 'x'.repeat(1_100_000) }),
  });
  expect(response.status).toBe(413);
  expect(((await response.json()) as { error: { code: string } }).error.code).toBe('payload_too_large');
});
