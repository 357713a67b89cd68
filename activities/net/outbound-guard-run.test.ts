import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WorkflowFailedError } from '@temporalio/client';
import { graphEdge as edge, graphNode as node } from '../../test/graph-builders';
import { sendJson, startHttpFixture, type HttpFixture } from '../../test/http-fixture';
import { createTemporalHarness, type TemporalHarness } from '../../test/temporal-harness';
import { runStateQuery } from '../../workflows/messages';

/**
 * Acceptance 5: the HTTP Request node in real runs on a worker whose outbound policy has no allowlist for the
 * addresses asked for. The inner server listens on 127.0.0.1; a "gateway" on 127.0.0.2 is the only allowlisted
 * address and redirects inwards.
 */

let strict: TemporalHarness;
let inner: HttpFixture;
let gateway: Server;
let gatewayUrl: string;

beforeAll(async () => {
  [strict, inner] = await Promise.all([createTemporalHarness({ outboundAllow: ['127.0.0.2'] }), startHttpFixture()]);
  inner.route('/secret', (_request, response) => sendJson(response, 200, { secret: 'internal' }));
  gateway = createServer((request, response) => {
    const target = new URL(request.url ?? '/', 'http://x').searchParams.get('to') ?? '/';
    response.writeHead(302, { location: target }).end();
  });
  await new Promise<void>((resolve) => gateway.listen(0, '127.0.0.2', resolve));
  gatewayUrl = `http://127.0.0.2:${(gateway.address() as AddressInfo).port}`;
});
afterAll(async () => {
  gateway?.closeAllConnections();
  await Promise.all([strict?.close(), inner?.close(), new Promise((resolve) => (gateway ? gateway.close(resolve) : resolve(undefined)))]);
});

async function fetchFails(url: string): Promise<string> {
  const graph = {
    nodes: [node('start', 'start'), node('fetch', 'http-request', { url }, { retry: { maximumAttempts: 3, initialInterval: '100ms' } }), node('end', 'end')],
    edges: [edge('start', 'fetch'), edge('fetch', 'end')],
  };
  const handle = await strict.start(graph);
  const error = await handle.result().catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(WorkflowFailedError);
  const state = await handle.query(runStateQuery);
  // Refusals are final: one attempt, whatever the retry policy allows.
  expect(state.nodes.fetch).toMatchObject({ status: 'failed', attempts: 1, error: { type: 'OutboundRequestRefused' } });
  return state.nodes.fetch.error?.message ?? '';
}

test.each([
  ['127.0.0.1', () => `${inner.url}/secret`, /outbound request to 127\.0\.0\.1 refused: 127\.0\.0\.1 is not a public address \(loopback\)/],
  ['10.0.0.0/8', () => 'http://10.12.0.5/internal', /10\.12\.0\.5 is not a public address \(private\)/],
  ['169.254.169.254', () => 'http://169.254.169.254/latest/meta-data/iam/', /169\.254\.169\.254 is not a public address \(cloud metadata\)/],
  ['a redirect to 127.0.0.1', () => `${gatewayUrl}/?to=${encodeURIComponent(`${inner.url}/secret`)}`, /127\.0\.0\.1 is not a public address \(loopback\)/],
  ['a redirect to 10.0.0.1', () => `${gatewayUrl}/?to=${encodeURIComponent('http://10.0.0.1/')}`, /10\.0\.0\.1 is not a public address \(private\)/],
  ['a redirect to 169.254.169.254', () => `${gatewayUrl}/?to=${encodeURIComponent('http://169.254.169.254/')}`, /169\.254\.169\.254 .*cloud metadata/],
])('the HTTP Request node is refused %s without the allowlist', async (_name, url, message) => {
  expect(await fetchFails(url())).toMatch(message);
  expect(inner.hits('/secret')).toBe(0);
});

test('the allowlist lets a run reach what it names (the test default: 127.0.0.1)', async () => {
  const open = await createTemporalHarness();
  try {
    const direct = await open.run({
      nodes: [node('start', 'start'), node('fetch', 'http-request', { url: `${inner.url}/secret` }), node('end', 'end')],
      edges: [edge('start', 'fetch'), edge('fetch', 'end')],
    });
    expect((direct.output as { body: unknown }).body).toEqual({ secret: 'internal' });
    expect(inner.hits('/secret')).toBe(1);
  } finally {
    await open.close();
  }
});
