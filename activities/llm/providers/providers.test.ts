import { NodeLiveEvent } from '../../../db/entities';
import { DbNodeEventSink } from '../../../db/node-event-sink';
import { createTestDatabase, type TestDatabase } from '../../../db/test-database';
import type { GraphInput, NodeData } from '../../../engine/graph';
import { anthropicRequests, startAnthropicCompatibleServer } from '../../../test/anthropic-compatible-server';
import { startCohereCompatibleServer } from '../../../test/cohere-compatible-server';
import type { FakeProviderServer } from '../../../test/fake-provider-server';
import { geminiChatRequests, startGeminiCompatibleServer } from '../../../test/gemini-compatible-server';
import { graphEdge as edge, graphNode as node } from '../../../test/graph-builders';
import { sendJson, startHttpFixture, type HttpFixture } from '../../../test/http-fixture';
import { ollamaChatRequests, startOllamaCompatibleServer } from '../../../test/ollama-compatible-server';
import { startOpenAiCompatibleServer, type OpenAiCompatibleServerOptions } from '../../../test/openai-compatible-server';
import { createTemporalHarness, type TemporalHarness } from '../../../test/temporal-harness';
import { runStateQuery } from '../../../workflows/messages';
import type { CredentialResolver, ResolvedCredential } from '../../credential-kinds';
import type { ChatCredentialKind, EmbeddingCredentialKind } from './registry';

/**
 * Every model provider through the real nodes in real runs: its LangChain client talks to a local server speaking
 * the provider's protocol. Per provider: a streamed answer with usage in one shape, an Agent's tool call round
 * trip, a rejected key failing at once and an outage retried. (The outbound policy refusing each provider's base
 * URL is in activities/net/outbound.security.test.ts, with every other node that connects anywhere.)
 */

/** A provider's local server, seen the same way whatever protocol it speaks. */
interface ProviderServer {
  baseUrl: string;
  apiKey: string;
  enqueueChat: FakeProviderServer['enqueueChat'];
  enqueueOutage(): void;
  /** The bodies of the chat requests the server received, oldest first. */
  chatBodies(): unknown[];
  /** Whether the last chat request asked for a streamed answer. */
  lastStreamed(): boolean;
  close(): Promise<void>;
}

interface ProviderCase {
  kind: ChatCredentialKind;
  start(): Promise<ProviderServer>;
  credentialData(server: ProviderServer): Record<string, string>;
}

function fakeProvider(server: FakeProviderServer, chatBodies: () => unknown[], lastStreamed: () => boolean): ProviderServer {
  return { ...server, enqueueOutage: () => server.enqueueFault({ status: 503, message: 'overloaded' }), chatBodies, lastStreamed };
}

async function openAiProtocolProvider(options: OpenAiCompatibleServerOptions): Promise<ProviderServer> {
  const server = await startOpenAiCompatibleServer(options);
  return {
    ...server,
    enqueueOutage: () => server.enqueueFault('chat', { status: 503, message: 'overloaded' }),
    chatBodies: () => server.chatRequests(),
    lastStreamed: () => server.chatRequests().at(-1)?.stream === true,
  };
}

const CASES: ProviderCase[] = [
  {
    kind: 'anthropic',
    start: async () => {
      const server = await startAnthropicCompatibleServer();
      return fakeProvider(server, () => anthropicRequests(server), () => anthropicRequests(server).at(-1)?.stream === true);
    },
    credentialData: (server) => ({ apiKey: server.apiKey, baseUrl: server.baseUrl }),
  },
  {
    kind: 'google-gemini',
    start: async () => {
      const server = await startGeminiCompatibleServer();
      const lastChatPath = () => server.requests.filter((request) => /:(generateContent|streamGenerateContent)$/.test(request.path)).at(-1)?.path;
      return fakeProvider(server, () => geminiChatRequests(server), () => lastChatPath()?.endsWith(':streamGenerateContent') === true);
    },
    credentialData: (server) => ({ apiKey: server.apiKey, baseUrl: server.baseUrl }),
  },
  {
    kind: 'ollama',
    start: async () => {
      const server = await startOllamaCompatibleServer({ apiKey: 'ollama-proxy-key' });
      return fakeProvider(server, () => ollamaChatRequests(server), () => ollamaChatRequests(server).at(-1)?.stream === true);
    },
    credentialData: (server) => ({ baseUrl: server.baseUrl, apiKey: server.apiKey }),
  },
  { kind: 'mistral', start: () => openAiProtocolProvider({ apiKey: 'mistral-test-local' }), credentialData: (server) => ({ apiKey: server.apiKey, baseUrl: server.baseUrl }) },
  {
    kind: 'groq',
    start: () => openAiProtocolProvider({ apiKey: 'gsk-test-local', usageInXGroq: true }),
    // Groq's SDK adds /openai/v1/chat/completions to the API root.
    credentialData: (server) => ({ apiKey: server.apiKey, baseUrl: new URL(server.baseUrl).origin }),
  },
];

let db: TestDatabase;
let http: HttpFixture;
let temporal: TemporalHarness;
const servers = new Map<ChatCredentialKind, ProviderServer>();
const credentials = new Map<string, ResolvedCredential>();

beforeAll(async () => {
  [db, http] = await Promise.all([createTestDatabase(), startHttpFixture()]);
  http.route('/weather', (req, res) => sendJson(res, 200, { city: new URL(req.url ?? '', 'http://x').searchParams.get('city'), forecast: 'light snow, -3 °C' }));
  for (const providerCase of CASES) {
    const server = await providerCase.start();
    servers.set(providerCase.kind, server);
    const data = providerCase.credentialData(server);
    credentials.set(providerCase.kind, { id: providerCase.kind, name: `${providerCase.kind} key`, kind: providerCase.kind, data });
    const revoked = `${providerCase.kind}-revoked`;
    credentials.set(revoked, { id: revoked, name: `revoked ${providerCase.kind} key`, kind: providerCase.kind, data: { ...data, apiKey: 'revoked-SECRET-7777' } });
  }
  const resolver: CredentialResolver = { resolve: async (_workspace, id) => credentials.get(id) as ResolvedCredential };
  temporal = await createTemporalHarness({ credentials: resolver, services: { events: new DbNodeEventSink(db.orm.em) } });
}, 120_000);
afterAll(async () => {
  await temporal?.close();
  await Promise.all([...[...servers.values()].map((server) => server.close()), http?.close(), db?.close()]);
});

function chatGraph(config: Record<string, unknown>, settings: Omit<Partial<NodeData>, 'config'> = {}): GraphInput {
  return {
    nodes: [node('start', 'start'), node('llm', 'llm-chat', { model: 'test-model', ...config }, settings), node('end', 'end')],
    edges: [edge('start', 'llm'), edge('llm', 'end')],
  };
}

function agentGraph(credentialId: string): GraphInput {
  return {
    nodes: [
      node('start', 'start'),
      node('agent', 'agent', { credentialId, model: 'test-model', prompt: '{{ input.question }}' }),
      node('weather', 'http-request', { url: `${http.url}/weather` }, { retry: { maximumAttempts: 1 } }),
      node('end', 'end'),
    ],
    edges: [edge('start', 'agent', undefined, 'in'), edge('weather', 'agent', undefined, 'tools'), edge('agent', 'end')],
  };
}

describe.each(CASES)('$kind', (providerCase) => {
  const server = () => servers.get(providerCase.kind) as ProviderServer;

  it('answers LLM Chat, streaming the tokens to the live events, with usage and finish reason in one shape', async () => {
    server().enqueueChat({ content: 'The capital of France is Paris.' });
    const handle = await temporal.start(chatGraph({ credentialId: providerCase.kind, systemPrompt: 'Be brief.', prompt: 'Capital of France?', maxTokens: 50 }));
    const output = (await handle.result()).output;
    expect(output).toEqual({ text: 'The capital of France is Paris.', usage: { inputTokens: 5, outputTokens: 6, totalTokens: 11 }, finishReason: 'stop', model: expect.any(String) });
    expect(server().lastStreamed()).toBe(true);
    expect(JSON.stringify(server().chatBodies().at(-1))).toContain('Be brief.');

    const events = await db.orm.em.fork().find(NodeLiveEvent, { workflowId: handle.workflowId }, { orderBy: { id: 'asc' } });
    expect(events.map((event) => event.type)).toEqual(Array(6).fill('llm.token'));
    expect(events.map((event) => (event.data as { text: string }).text).join('')).toBe('The capital of France is Paris.');
  });

  it("calls a tool through the Agent and hands the tool's result back to the model", async () => {
    const before = server().chatBodies().length;
    server().enqueueChat({ toolCalls: [{ name: 'HTTP_Request', arguments: { query: { city: 'Oslo' } } }] }, { content: 'Light snow in Oslo.' });
    const result = await temporal.run(agentGraph(providerCase.kind), { question: 'What is the weather in Oslo?' });
    expect(result.output).toMatchObject({
      answer: 'Light snow in Oslo.',
      steps: [{ iteration: 1, toolCalls: [{ tool: 'HTTP_Request', arguments: { query: { city: 'Oslo' } }, result: { status: 200, body: { city: 'Oslo', forecast: 'light snow, -3 °C' } } }] }],
      iterations: 2,
    });
    const [asked, answered] = server().chatBodies().slice(before).map((body) => JSON.stringify(body));
    expect(asked).toContain('HTTP_Request');
    expect(asked).not.toContain('light snow');
    expect(answered).toContain('light snow');
  });

  it('fails at once on a rejected key, naming the credential and never the key; retries an outage', async () => {
    const retry = { maximumAttempts: 3, initialInterval: '100ms' };
    const rejected = await temporal.start(chatGraph({ credentialId: `${providerCase.kind}-revoked`, prompt: 'Hello?' }, { retry }));
    await rejected.result().catch(() => undefined);
    const { llm } = (await rejected.query(runStateQuery)).nodes;
    expect(llm).toMatchObject({ status: 'failed', attempts: 1, error: { type: 'ProviderAuthenticationError' } });
    expect(llm.error?.message).toContain(`revoked ${providerCase.kind} key`);
    expect(JSON.stringify(await rejected.fetchHistory())).not.toContain('revoked-SECRET-7777');

    server().enqueueOutage();
    server().enqueueChat({ content: 'Back again.' });
    const recovered = await temporal.start(chatGraph({ credentialId: providerCase.kind, prompt: 'Hello?' }, { retry }));
    expect((await recovered.result()).output).toMatchObject({ text: 'Back again.' });
    expect((await recovered.query(runStateQuery)).nodes.llm).toMatchObject({ status: 'succeeded', attempts: 2 });
  });
});

describe('embeddings', () => {
  const lines = ['Ferries leave the harbour at noon.', 'Mackerel is sold straight from the boats.', 'The lighthouse was painted red in 1990.'];
  const embedGraph = (credentialId: string, settings: Omit<Partial<NodeData>, 'config'> = {}): GraphInput => ({
    nodes: [
      node('start', 'start'),
      node('load', 'document-loader', { format: 'text', content: lines.join('\n\n'), source: 'facts.txt' }),
      node('split', 'text-splitter', { chunkSize: 60, chunkOverlap: 0 }),
      node('embed', 'embeddings', { provider: 'credential', credentialId }, settings),
      node('end', 'end', { value: '{{ nodes.embed.output }}' }),
    ],
    edges: [edge('start', 'load'), edge('load', 'split'), edge('split', 'embed'), edge('embed', 'end')],
  });

  /** A provider's server, and the body of the first embedding request it received. */
  type EmbeddingServer = { baseUrl: string; apiKey: string; firstEmbedRequest(): unknown; close(): Promise<void> };
  const fromFake = (server: FakeProviderServer, isEmbed: (path: string) => boolean): EmbeddingServer => ({
    ...server,
    firstEmbedRequest: () => server.requests.find((request) => isEmbed(request.path))?.body,
  });
  const EMBEDDING_CASES: [EmbeddingCredentialKind, () => Promise<EmbeddingServer>, string][] = [
    ['ollama', async () => fromFake(await startOllamaCompatibleServer({ apiKey: 'ollama-proxy-key' }), (path) => path === '/api/embed'), 'nomic-embed-text'],
    ['google-gemini', async () => fromFake(await startGeminiCompatibleServer(), (path) => path.endsWith(':batchEmbedContents')), 'text-embedding-004'],
    [
      'cohere',
      async () => {
        const server = await startCohereCompatibleServer();
        return { ...server, firstEmbedRequest: () => server.requests.find((request) => request.path === '/v2/embed')?.body };
      },
      'embed-v4.0',
    ],
  ];

  it.each(EMBEDDING_CASES)('%s: the Embeddings node embeds every chunk with the default model; a rejected key fails at once', async (kind, start, model) => {
    const server = await start();
    try {
      const data = { apiKey: server.apiKey, baseUrl: server.baseUrl };
      credentials.set(`${kind}-embeddings`, { id: `${kind}-embeddings`, kind, data });
      const result = await temporal.run(embedGraph(`${kind}-embeddings`));
      expect(result.output).toMatchObject({ count: 3, dimensions: 8, model });
      expect(JSON.stringify(server.firstEmbedRequest())).toEqual(expect.stringContaining(lines[2]));

      // LangChain's Gemini embeddings answer a failed batch with empty vectors; the node fails instead.
      credentials.set(`${kind}-embeddings-revoked`, { id: `${kind}-embeddings-revoked`, kind, data: { ...data, apiKey: 'revoked-SECRET-7777' } });
      const rejected = await temporal.start(embedGraph(`${kind}-embeddings-revoked`, { retry: { maximumAttempts: 3, initialInterval: '100ms' } }));
      await rejected.result().catch(() => undefined);
      expect((await rejected.query(runStateQuery)).nodes.embed).toMatchObject({ status: 'failed', attempts: 1, error: { type: 'ProviderAuthenticationError' } });
    } finally {
      await server.close();
    }
  });
});
