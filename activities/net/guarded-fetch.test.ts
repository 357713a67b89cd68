import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApplicationFailure } from '@temporalio/common';
import { providerFailure } from '../llm/provider-client';
import { openAiChat } from '../llm/providers/openai';
import { createGuardedFetch, MAX_REDIRECTS } from './guarded-fetch';

interface LoopbackServer {
  url: string;
  seen: { path: string; method: string; authorization?: string; body: string }[];
  close(): Promise<void>;
}

/** A real server on a loopback address; `/to?url=…` redirects there with the status given in `status`. */
async function startServer(host: string): Promise<LoopbackServer> {
  const seen: LoopbackServer['seen'] = [];
  const server: Server = createServer(async (request: IncomingMessage, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const url = new URL(request.url ?? '/', 'http://x');
    seen.push({ path: url.pathname, method: request.method ?? '', authorization: request.headers.authorization, body: Buffer.concat(chunks).toString() });
    if (url.pathname === '/to') {
      response.writeHead(Number(url.searchParams.get('status') ?? 302), { location: url.searchParams.get('url') ?? '/' }).end();
      return;
    }
    if (url.pathname === '/loop') {
      response.writeHead(302, { location: '/loop' }).end();
      return;
    }
    response.writeHead(200, { 'content-type': 'text/plain' }).end(`secret from ${host}`);
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return {
    url: `http://${host}:${(server.address() as AddressInfo).port}`,
    seen,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function refusal(request: Promise<unknown>): Promise<ApplicationFailure> {
  const error = await request.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ApplicationFailure);
  const failure = error as ApplicationFailure;
  expect(failure.type).toBe('OutboundRequestRefused');
  expect(failure.nonRetryable).toBe(true);
  return failure;
}

let inside: LoopbackServer;
let gateway: LoopbackServer;

beforeAll(async () => {
  // Linux routes all of 127/8 to loopback: the second address stands for an allowlisted host that redirects inward.
  [inside, gateway] = await Promise.all([startServer('127.0.0.1'), startServer('127.0.0.2')]);
});
afterAll(async () => {
  await Promise.all([inside?.close(), gateway?.close()]);
});
beforeEach(() => {
  inside.seen.length = 0;
  gateway.seen.length = 0;
});

describe('fetch under the outbound policy, without an allowlist', () => {
  const guarded = createGuardedFetch();

  it('refuses loopback, private and metadata addresses before connecting', async () => {
    expect((await refusal(guarded(`${inside.url}/`))).message).toMatch(/127\.0\.0\.1 is not a public address \(loopback\)/);
    expect((await refusal(guarded('http://10.0.0.1/'))).message).toMatch(/10\.0\.0\.1 is not a public address \(private\)/);
    expect((await refusal(guarded('http://10.200.3.4:8080/x'))).message).toMatch(/private/);
    expect((await refusal(guarded('http://169.254.169.254/latest/meta-data/'))).message).toMatch(/169\.254\.169\.254 is not a public address \(cloud metadata\)/);
    expect((await refusal(guarded('http://[::ffff:127.0.0.1]/'))).message).toMatch(/loopback/);
    expect(inside.seen).toHaveLength(0);
  });

  it('refuses a hostname that resolves to loopback, naming the host and the address', async () => {
    const { port } = new URL(inside.url);
    const failure = await refusal(guarded(`http://localhost:${port}/`));
    expect(failure.message).toMatch(/outbound request to localhost refused: (127\.0\.0\.1|::1) is not a public address \(loopback\)/);
    expect(inside.seen).toHaveLength(0);
  });

  it('refuses schemes other than http and https', async () => {
    expect((await refusal(guarded('file:///etc/passwd'))).message).toMatch(/only http and https/);
  });
});

describe('redirects', () => {
  const viaGateway = createGuardedFetch({ allow: ['127.0.0.2'] });

  it.each([
    ['loopback', () => `${inside.url}/secret`, /127\.0\.0\.1 .*loopback/],
    ['a private address', () => 'http://10.0.0.1/', /10\.0\.0\.1 .*private/],
    ['the metadata address', () => 'http://169.254.169.254/latest/meta-data/', /169\.254\.169\.254 .*cloud metadata/],
  ])('from an allowed host to %s are refused', async (_name, target, message) => {
    const failure = await refusal(viaGateway(`${gateway.url}/to?url=${encodeURIComponent(target())}`));
    expect(failure.message).toMatch(message);
    expect(gateway.seen.map((r) => r.path)).toEqual(['/to']);
    expect(inside.seen).toHaveLength(0);
  });

  it('are followed when every hop is allowed: 302 turns a POST into a GET, 307 keeps it, credentials stay on their origin', async () => {
    const both = createGuardedFetch({ allow: ['127.0.0.0/8'] });
    const response = await both(`${gateway.url}/to?status=302&url=${encodeURIComponent(`${inside.url}/landing`)}`, {
      method: 'POST',
      body: 'payload',
      headers: { authorization: 'Bearer gateway-only' },
    });
    expect(await response.text()).toBe('secret from 127.0.0.1');
    expect(gateway.seen[0]).toMatchObject({ method: 'POST', authorization: 'Bearer gateway-only', body: 'payload' });
    expect(inside.seen).toEqual([{ path: '/landing', method: 'GET', authorization: undefined, body: '' }]);

    const kept = await both(`${inside.url}/to?status=307&url=/again`, { method: 'POST', body: 'twice', headers: { authorization: 'Bearer same-origin' } });
    expect(kept.status).toBe(200);
    expect(inside.seen.at(-1)).toEqual({ path: '/again', method: 'POST', authorization: 'Bearer same-origin', body: 'twice' });
  });

  it(`stop after ${MAX_REDIRECTS}, and are handed back as they are with redirect: manual`, async () => {
    const local = createGuardedFetch({ allow: ['127.0.0.1'] });
    await expect(local(`${inside.url}/loop`)).rejects.toThrow(`more than ${MAX_REDIRECTS} redirects`);
    expect(inside.seen).toHaveLength(MAX_REDIRECTS + 1);
    const manual = await local(`${inside.url}/to?url=/elsewhere`, { redirect: 'manual' });
    expect(manual.status).toBe(302);
    expect(manual.headers.get('location')).toBe('/elsewhere');
  });
});

describe('a request that fails on the network', () => {
  const local = createGuardedFetch({ allow: ['127.0.0.1'] });

  /** The rejection; a timeout is a DOMException, which is no `Error` of Jest's realm. */
  async function failure(request: Promise<Response>): Promise<Error> {
    const error = await request.then(() => undefined, (caught: unknown) => caught);
    expect(error).toHaveProperty('message');
    return error as Error;
  }

  it('names a DNS failure and the host', async () => {
    const error = await failure(createGuardedFetch()('http://no-such-host.invalid/path'));
    expect(error).toBeInstanceOf(TypeError);
    expect(error.message).toMatch(/^GET http:\/\/no-such-host\.invalid\/path failed: DNS lookup of no-such-host\.invalid failed: the name does not resolve \((ENOTFOUND|EAI_AGAIN)\)$/);
  });

  it('names a refused connection, with host and port', async () => {
    const closed = await startServer('127.0.0.1');
    await closed.close();
    const { port } = new URL(closed.url);
    const error = await failure(local(`${closed.url}/x`, { method: 'POST', body: 'b' }));
    expect(error.message).toBe(`POST ${closed.url}/x failed: 127.0.0.1:${port} refused the connection (ECONNREFUSED)`);
  });

  it('is named in a model provider call through the OpenAI SDK, which says only "Connection error."', async () => {
    const closed = await startServer('127.0.0.1');
    await closed.close();
    const credential = { id: 'c1', name: 'Local model', kind: 'openai' as const, data: { apiKey: 'sk-test', baseUrl: `${closed.url}/v1` } };
    const error = await openAiChat.chatModel(credential, { model: 'm', fetch: local }).invoke('hello').then(() => undefined, (caught: unknown) => caught);
    expect(providerFailure(error, credential).message).toMatch(
      new RegExp(`^provider call with credential "Local model" \\(c1\\) failed: Connection error\\.: POST ${closed.url}/v1/chat/completions failed: 127\\.0\\.0\\.1:\\d+ refused the connection \\(ECONNREFUSED\\)$`),
    );
  });

  it('names a failed TLS handshake', async () => {
    const plain = await startServer('127.0.0.1');
    try {
      const error = await failure(local(`${plain.url.replace('http:', 'https:')}/`));
      expect(error.message).toMatch(new RegExp(`^GET https://127\\.0\\.0\\.1:${new URL(plain.url).port}/ failed: TLS with 127\\.0\\.0\\.1:\\d+ failed: .+ \\(ERR_SSL_[A-Z_]+\\)$`));
    } finally {
      await plain.close();
    }
  });

  it('names a timeout and the URL, and keeps it a TimeoutError', async () => {
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/slow`;
    try {
      const error = await failure(local(url, { signal: AbortSignal.timeout(200) }));
      expect(error.name).toBe('TimeoutError');
      expect(error.message).toBe(`GET ${url} timed out: no answer within the request's timeout`);
    } finally {
      silent.closeAllConnections();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});
