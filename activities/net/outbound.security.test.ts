import { createServer, type AddressInfo, type Server } from 'node:net';
import { ApplicationFailure } from '@temporalio/activity';
import { loadConfig, protectedEndpoints } from '../../platform/config';
import { graphEdge, graphNode } from '../../test/graph-builders';
import { createTemporalHarness, type TemporalHarness } from '../../test/temporal-harness';
import { runStateQuery } from '../../workflows/messages';
import type { CredentialResolver, ResolvedCredential } from '../credential-kinds';
import type { TaskNodeDefinition } from '../node-definition';
import { databaseQueryNode } from '../nodes/database-query';
import { documentLoaderNode } from '../nodes/document-loader';
import { embeddingsNode } from '../nodes/embeddings';
import { httpRequestNode } from '../nodes/http-request';
import { llmChatNode } from '../nodes/llm-chat';
import { rerankerNode } from '../nodes/reranker';
import { webScraperNode } from '../nodes/web-scraper';
import { webSearchNode } from '../nodes/web-search';
import { guardedFetchOf } from './guarded-fetch';
import { createOutboundGuard, type OutboundRules } from './outbound-guard';

/**
 * What a tenant cannot reach through any node that opens a connection: loopback, private, link-local and cloud
 * metadata addresses (in every spelling), unless the operator's allowlist names them; and never the installation's
 * own database or Temporal, whatever the allowlist says. Each node runs for real, with the guard the worker gives
 * it; a TCP listener on loopback counts every connection that got through.
 */

let listener: Server;
let port: number;
let connections = 0;
beforeAll(async () => {
  listener = createServer((socket) => {
    connections++;
    socket.destroy();
  });
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  port = (listener.address() as AddressInfo).port;
});
afterAll(() => new Promise((resolve) => listener.close(resolve)));
beforeEach(() => (connections = 0));

const documents = { in: [{ id: 'd1', text: 'a passage', metadata: {} }] };
const openai = (baseUrl: string): ResolvedCredential => ({ id: 'c1', kind: 'openai', data: { apiKey: 'sk-test', baseUrl } });

/** Every node that opens a connection, pointed at `host:port` (host as written in a URL). */
const NODES: [string, TaskNodeDefinition, (target: string) => { config: unknown; credential?: ResolvedCredential; incoming?: Record<string, unknown> }][] = [
  ['HTTP Request', httpRequestNode, (target) => ({ config: { url: `http://${target}/` } })],
  ['Web Scraper', webScraperNode, (target) => ({ config: { urls: [`http://${target}/`], maxDepth: 0 } })],
  ['Document Loader', documentLoaderNode, (target) => ({ config: { format: 'text', url: `http://${target}/doc.txt` } })],
  [
    'Database Query',
    databaseQueryNode,
    (target) => ({ config: { credentialId: 'c1', sql: 'select count(*) from users' }, credential: { id: 'c1', kind: 'postgres', data: { connectionString: `postgres://postgres@${target}/postgres` } } }),
  ],
  ['LLM Chat (provider base URL)', llmChatNode, (target) => ({ config: { credentialId: 'c1', prompt: 'hello' }, credential: openai(`http://${target}/v1`) })],
  ['Embeddings (provider base URL)', embeddingsNode, (target) => ({ config: { provider: 'openai', model: 'text-embedding-3-small', credentialId: 'c1' }, credential: openai(`http://${target}/v1`), incoming: documents })],
  ...(['anthropic', 'google-gemini', 'ollama', 'mistral', 'groq'] as const).map((kind): (typeof NODES)[number] => [
    `LLM Chat (${kind} base URL)`,
    llmChatNode,
    (target) => ({ config: { credentialId: 'c1', prompt: 'hello' }, credential: { id: 'c1', kind, data: { apiKey: 'k', baseUrl: `http://${target}` } } }),
  ]),
  ...(['google-gemini', 'ollama', 'cohere'] as const).map((kind): (typeof NODES)[number] => [
    `Embeddings (${kind} base URL)`,
    embeddingsNode,
    (target) => ({ config: { provider: 'credential', credentialId: 'c1' }, credential: { id: 'c1', kind, data: { apiKey: 'k', baseUrl: `http://${target}` } }, incoming: documents }),
  ]),
  [
    'Reranker (Cohere base URL)',
    rerankerNode,
    (target) => ({ config: { query: 'q', provider: 'cohere', baseUrl: `http://${target}`, credentialId: 'c1' }, credential: { id: 'c1', kind: 'cohere', data: { apiKey: 'k' } }, incoming: documents }),
  ],
  ['Web Search (base URL)', webSearchNode, (target) => ({ config: { credentialId: 'c1', query: 'q', baseUrl: `http://${target}` }, credential: { id: 'c1', kind: 'tavily', data: { apiKey: 'k' } } })],
];

/** The node's failure, or for the Web Scraper (which reports pages it could not read) the reason it gives. */
async function attempt(definition: TaskNodeDefinition, setup: ReturnType<(typeof NODES)[number][2]>, rules: OutboundRules): Promise<{ type?: string; message: string }> {
  const guard = createOutboundGuard(rules);
  try {
    const output = await definition.run({
      config: definition.config.parse(setup.config),
      credential: setup.credential,
      incoming: setup.incoming ?? {},
      node: { id: 'n1', type: definition.type, label: definition.label },
      attempt: 1,
      signal: new AbortController().signal,
      fetch: guardedFetchOf(guard),
      socket: guard.socket,
      services: {},
      store: () => Promise.reject(new Error('nothing is stored in this test')),
      run: { workflowId: 'wf', runId: 'run', workspaceId: 'ws' },
    });
    const skipped = (output as { skipped?: { reason: string }[] }).skipped?.[0];
    if (skipped) return { type: /refused/.test(skipped.reason) ? 'OutboundRequestRefused' : undefined, message: skipped.reason };
    return { message: `succeeded: ${JSON.stringify(output)}` };
  } catch (error) {
    return { type: error instanceof ApplicationFailure ? error.type ?? undefined : undefined, message: (error as Error).message };
  }
}

const TARGETS: [string, () => string, RegExp][] = [
  ['loopback 127.0.0.1', () => `127.0.0.1:${port}`, /127\.0\.0\.1 is not a public address \(loopback\)/],
  ['IPv4-compatible IPv6 [::127.0.0.1]', () => `[::127.0.0.1]:${port}`, /127\.0\.0\.1 is not a public address \(loopback\)/],
  ['IPv4-mapped IPv6 [::ffff:127.0.0.1]', () => `[::ffff:127.0.0.1]:${port}`, /127\.0\.0\.1 is not a public address \(loopback\)/],
  ['IPv6 loopback [::1]', () => `[::1]:${port}`, /::1 is not a public address \(loopback\)/],
  ['localhost', () => `localhost:${port}`, /is not a public address \(loopback\)/],
  ['private 10.0.0.1', () => '10.0.0.1:5432', /10\.0\.0\.1 is not a public address \(private\)/],
  ['link-local 169.254.10.1', () => '169.254.10.1', /169\.254\.10\.1 is not a public address \(link-local\)/],
  ['cloud metadata 169.254.169.254', () => '169.254.169.254', /169\.254\.169\.254 is not a public address \(cloud metadata\)/],
];

describe.each(NODES)('%s', (_name, definition, setupFor) => {
  it.each(TARGETS)('is refused %s without an allowlist, before any connection', async (_target, target, message) => {
    const failure = await attempt(definition, setupFor(target()), {});
    expect(failure).toMatchObject({ type: 'OutboundRequestRefused', message: expect.stringMatching(message) });
    expect(connections).toBe(0);
  });

  it("is refused the application's database even where the allowlist covers loopback", async () => {
    const config = loadConfig({ DATABASE_URL: `postgres://kai:secret@127.0.0.1:${port}/kai`, TEMPORAL_ADDRESS: '127.0.0.1:7233', KAI_OUTBOUND_ALLOW: '127.0.0.0/8,::1,localhost' });
    const rules = { allow: config.outboundAllow, protect: protectedEndpoints(config) };
    for (const target of [`127.0.0.1:${port}`, `127.0.0.2:${port}`, `localhost:${port}`, `[::ffff:127.0.0.1]:${port}`, `[::127.0.0.1]:${port}`]) {
      expect(await attempt(definition, setupFor(target), rules)).toMatchObject({ type: 'OutboundRequestRefused', message: expect.stringMatching(/it is the application's database, which nodes never reach/) });
    }
    expect(connections).toBe(0);
  });
});

describe("the application's own services", () => {
  it('are the database, the Temporal frontend and its Web UI, read from the configuration', () => {
    const embedded = loadConfig({ DATABASE_URL: 'postgres://postgres:pw@127.0.0.1:33007/postgres' });
    expect(protectedEndpoints(embedded)).toEqual([
      expect.objectContaining({ name: "the application's database", host: '127.0.0.1', port: 33007 }),
      expect.objectContaining({ name: 'the Temporal server', host: '127.0.0.1', port: 7233 }),
      expect.objectContaining({ name: 'Temporal Web UI', host: '127.0.0.1', port: 8233 }),
    ]);
    const compose = loadConfig({ DATABASE_URL: 'postgres://kai:pw@postgres/kai', TEMPORAL_ADDRESS: 'temporal:7233', TEMPORAL_UI_URL: 'http://localhost:8080' });
    expect(protectedEndpoints(compose).map(({ host, port }) => `${host}:${port}`)).toEqual(['postgres:5432', 'temporal:7233', 'localhost:8080']);
  });

  it('let the database be reached only with KAI_OUTBOUND_ALLOW_APP_DATABASE, and Temporal never', async () => {
    const config = loadConfig({ DATABASE_URL: `postgres://kai:secret@127.0.0.1:${port}/kai`, TEMPORAL_ADDRESS: '127.0.0.1:7233', KAI_OUTBOUND_ALLOW: '127.0.0.1', KAI_OUTBOUND_ALLOW_APP_DATABASE: 'true' });
    const rules = { allow: config.outboundAllow, protect: protectedEndpoints(config) };
    const [, , setupFor] = NODES[3];
    expect((await attempt(databaseQueryNode, setupFor(`127.0.0.1:${port}`), rules)).type).not.toBe('OutboundRequestRefused');
    expect(connections).toBe(1);
    expect(await attempt(httpRequestNode, { config: { url: 'http://127.0.0.1:7233/' } }, rules)).toMatchObject({ type: 'OutboundRequestRefused', message: expect.stringMatching(/it is the Temporal server/) });
  });

  it('refuse a Unix socket path as a database host', async () => {
    const failure = await attempt(databaseQueryNode, { config: { credentialId: 'c1', sql: 'select 1' }, credential: { id: 'c1', kind: 'postgres', data: { connectionString: 'postgres://postgres@/postgres?host=/tmp' } } }, { allow: ['0.0.0.0/0'] });
    expect(failure).toMatchObject({ type: 'OutboundRequestRefused', message: expect.stringMatching(/not a Unix socket path/) });
  });
});

describe('on a worker, in a real run', () => {
  let strict: TemporalHarness;
  beforeAll(async () => {
    const credentials: CredentialResolver = { resolve: async (_workspace, id) => ({ id, kind: 'postgres', data: { connectionString: `postgres://postgres@127.0.0.1:${port}/postgres` } }) };
    strict = await createTemporalHarness({ outboundAllow: ['127.0.0.2'], credentials });
  });
  afterAll(() => strict?.close());

  it('Database Query gets the worker\'s guarded socket: loopback refused, once, with no connection made', async () => {
    const query = graphNode('query', 'database-query', { credentialId: 'c1', sql: 'select count(*) from users' }, { retry: { maximumAttempts: 3, initialInterval: '100ms' } });
    const handle = await strict.start({ nodes: [graphNode('start', 'start'), query, graphNode('end', 'end')], edges: [graphEdge('start', 'query'), graphEdge('query', 'end')] });
    await handle.result().catch(() => undefined);
    const state = await handle.query(runStateQuery);
    expect(state.nodes.query).toMatchObject({ status: 'failed', attempts: 1, error: { type: 'OutboundRequestRefused', message: expect.stringMatching(/127\.0\.0\.1 is not a public address \(loopback\)/) } });
    expect(connections).toBe(0);
  });
});
