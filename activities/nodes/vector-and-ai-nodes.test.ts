import type { GraphInput } from '../../engine/graph';
import { createApiHarness, type ApiHarness, type TestAccount } from '../../test/api-harness';
import { startCohereCompatibleServer, type CohereCompatibleServer } from '../../test/cohere-compatible-server';
import { graphEdge, graphNode } from '../../test/graph-builders';
import { startOpenAiCompatibleServer, type OpenAiCompatibleServer } from '../../test/openai-compatible-server';
import { requireEmbeddedDatabaseForPgvector } from '../../test/pgvector-database';
import { createPublishedWorkflow } from '../../test/published-workflow';

requireEmbeddedDatabaseForPgvector();

let api: ApiHarness;
let owner: TestAccount;
let openai: OpenAiCompatibleServer;
let cohere: CohereCompatibleServer;
beforeAll(async () => {
  [api, openai, cohere] = await Promise.all([createApiHarness(), startOpenAiCompatibleServer(), startCohereCompatibleServer()]);
  owner = await api.signUp('ai-nodes');
}, 120_000);
afterAll(async () => {
  await Promise.all([api?.close(), openai?.close(), cohere?.close()]);
});

async function credential(name: string, kind: string, data: Record<string, string>): Promise<string> {
  const created = await api.request('POST', '/api/v1/credentials', { token: owner.token, body: { name, kind, data } });
  expect(created.status).toBe(201);
  return created.body.id;
}

/** Publishes the graph in the owner's workspace and runs it through the API, waiting for its end. */
async function runGraph(graph: GraphInput, inputs: Record<string, unknown> = {}) {
  const workflowId = await createPublishedWorkflow(api.services.orm, owner, graph);
  const run = await api.request('POST', `/api/v1/workflows/${workflowId}/runs`, { token: owner.token, body: { inputs, wait: 60 } });
  expect(run.status).toBe(200);
  const details = await api.request('GET', `/api/v1/runs/${run.body.id}`, { token: owner.token });
  return { status: run.body.status as string, result: run.body.result?.output, error: run.body.error, nodes: details.body.nodes as { id: string; attempts: number; output: unknown }[] };
}

/** Start → Document Loader (lines as text) → Text Splitter (one line each) → `embed` config → Upsert → End. */
function ingestGraph(lines: string[], embed: Record<string, unknown>, collection: string): GraphInput {
  return {
    nodes: [
      graphNode('start', 'start'),
      graphNode('load', 'document-loader', { format: 'text', content: lines.join('\n\n'), source: 'facts.txt' }),
      graphNode('split', 'text-splitter', { chunkSize: 60, chunkOverlap: 0 }),
      graphNode('embed', 'embeddings', embed),
      graphNode('store', 'vector-store-upsert', { collection }),
      graphNode('end', 'end', { value: { embedded: '{{ nodes.embed.output }}', stored: '{{ nodes.store.output }}' } }),
    ],
    edges: [graphEdge('start', 'load'), graphEdge('load', 'split'), graphEdge('split', 'embed'), graphEdge('embed', 'store'), graphEdge('store', 'end')],
  };
}

const lines = ['Ferries leave the harbour at noon.', 'Mackerel is sold straight from the boats.', 'The lighthouse was painted red in 1990.'];

test('Embeddings through an OpenAI-compatible API feed the store; the Retriever embeds its query the same way', async () => {
  const credentialId = await credential('Embeddings provider', 'openai', { apiKey: openai.apiKey, baseUrl: openai.baseUrl });
  const embed = { provider: 'openai', model: 'text-embedding-3-small', dimensions: 16, credentialId };
  const ingested = await runGraph(ingestGraph(lines, embed, 'remote'));
  expect(ingested.status).toBe('succeeded');
  expect(ingested.result).toMatchObject({ embedded: { count: 3, dimensions: 16, model: 'text-embedding-3-small' }, stored: { added: 3, skipped: 0, dimensions: 16 } });
  expect(openai.requests.filter((request) => request.path.endsWith('/embeddings')).at(-1)?.body).toMatchObject({ input: lines, dimensions: 16 });

  // The local server's vectors hash the whole text, so only the identical text is its own nearest neighbour.
  const retrieved = await runGraph({
    nodes: [graphNode('start', 'start'), graphNode('retrieve', 'retriever', { collection: 'remote', query: lines[2], k: 1, ...embed }), graphNode('end', 'end')],
    edges: [graphEdge('start', 'retrieve'), graphEdge('retrieve', 'end')],
  });
  expect(retrieved.result).toMatchObject({ count: 1, documents: [{ text: lines[2], metadata: { source: 'facts.txt', chunk: 2, documentId: 'facts.txt#2', score: expect.closeTo(1, 5) } }] });
});

test('Retriever filters by metadata; Vector Store Delete removes by filter; a missing collection fails at once', async () => {
  expect((await runGraph(ingestGraph(lines, { provider: 'local', dimensions: 64 }, 'local'))).status).toBe('succeeded');
  const retrieve = (filter?: Record<string, unknown>) =>
    runGraph({
      nodes: [graphNode('start', 'start'), graphNode('retrieve', 'retriever', { collection: 'local', query: '{{ input.q }}', k: 3, dimensions: 64, filter }), graphNode('end', 'end')],
      edges: [graphEdge('start', 'retrieve'), graphEdge('retrieve', 'end')],
    }, { q: 'when do ferries leave the harbour' });
  const all = await retrieve();
  expect((all.result as { documents: { text: string }[] }).documents[0].text).toBe(lines[0]);
  const onlySecond = await retrieve({ chunk: 1 });
  expect((onlySecond.result as { documents: { text: string }[] }).documents.map((document) => document.text)).toEqual([lines[1]]);

  const deleted = await runGraph({
    nodes: [graphNode('start', 'start'), graphNode('delete', 'vector-store-delete', { collection: 'local', filter: { chunk: 0 } }), graphNode('end', 'end')],
    edges: [graphEdge('start', 'delete'), graphEdge('delete', 'end')],
  });
  expect(deleted.result).toEqual({ collection: 'local', deleted: 1 });
  expect((await retrieve()).result).toMatchObject({ count: 2 });

  const missing = await runGraph({
    nodes: [graphNode('start', 'start'), graphNode('retrieve', 'retriever', { collection: 'nowhere', query: 'x' }), graphNode('end', 'end')],
    edges: [graphEdge('start', 'retrieve'), graphEdge('retrieve', 'end')],
  });
  expect(missing.status).toBe('failed');
  expect(missing.nodes.find((node) => node.id === 'retrieve')?.attempts).toBe(1);
  expect(JSON.stringify(missing.error)).toContain('vector collection \\"nowhere\\" not found');
});

test("Retriever as an Agent's tool: the model's query is embedded and searched, and the passages go back to the model", async () => {
  expect((await runGraph(ingestGraph(lines, { provider: 'local', dimensions: 64 }, 'harbour'))).status).toBe('succeeded');
  const credentialId = await credential('Agent model', 'openai', { apiKey: openai.apiKey, baseUrl: openai.baseUrl });
  const before = openai.chatRequests().length;
  openai.enqueueChat({ toolCalls: [{ name: 'Retriever', arguments: { query: 'what colour is the lighthouse' } }] }, { content: 'It is red (since 1990).' });
  const run = await runGraph(
    {
      nodes: [
        graphNode('start', 'start'),
        graphNode('agent', 'agent', { credentialId, model: 'local-model', prompt: '{{ input.question }}' }),
        graphNode('knowledge', 'retriever', { collection: 'harbour', k: 1, dimensions: 64 }),
        graphNode('end', 'end'),
      ],
      edges: [graphEdge('start', 'agent', undefined, 'in'), graphEdge('knowledge', 'agent', undefined, 'tools'), graphEdge('agent', 'end')],
    },
    { question: 'What colour is the lighthouse?' },
  );

  expect(run.status).toBe('succeeded');
  expect(run.result).toMatchObject({
    answer: 'It is red (since 1990).',
    steps: [{ iteration: 1, toolCalls: [{ tool: 'Retriever', arguments: { query: 'what colour is the lighthouse' }, result: { count: 1, documents: [{ text: lines[2] }] } }] }],
  });
  const [asked, answered] = openai.chatRequests().slice(before);
  expect(asked.tools?.map((tool) => tool.function.name)).toEqual(['Retriever']);
  expect(answered.messages.at(-1)).toMatchObject({ role: 'tool', content: expect.stringContaining(lines[2]) });
});

test('Reranker: Cohere rerank with a credential (a rejected key fails at once, naming the credential), or local BM25', async () => {
  const passages = { documents: ['Tide tables are posted daily.', 'The ferry to the island leaves at noon.', 'Ferry tickets are sold on board.'].map((text, index) => ({ id: `p${index}`, text, metadata: {} })) };
  const rerankGraph = (config: Record<string, unknown>): GraphInput => ({
    nodes: [graphNode('start', 'start'), graphNode('rerank', 'reranker', { query: 'when does the ferry leave', topN: 2, ...config }), graphNode('end', 'end')],
    edges: [graphEdge('start', 'rerank'), graphEdge('rerank', 'end')],
  });
  const good = await credential('Cohere', 'cohere', { apiKey: cohere.apiKey });
  const viaCohere = await runGraph(rerankGraph({ provider: 'cohere', baseUrl: cohere.baseUrl, credentialId: good }), passages);
  expect(viaCohere.result).toMatchObject({ count: 2, documents: [{ id: 'p1', metadata: { rerankScore: expect.any(Number) } }, { id: 'p2' }] });
  expect(cohere.requests.at(-1)).toMatchObject({ authorization: `Bearer ${cohere.apiKey}`, body: { model: 'rerank-v3.5', top_n: 2, documents: passages.documents.map((p) => p.text) } });

  const bad = await credential('Cohere (revoked)', 'cohere', { apiKey: 'co-revoked-secret' });
  const rejected = await runGraph(rerankGraph({ provider: 'cohere', baseUrl: cohere.baseUrl, credentialId: bad }), passages);
  expect(rejected.status).toBe('failed');
  expect(rejected.nodes.find((node) => node.id === 'rerank')?.attempts).toBe(1);
  expect(JSON.stringify(rejected.error)).toContain('Cohere (revoked)');
  expect(JSON.stringify(rejected.error)).not.toContain('co-revoked-secret');

  const local = await runGraph(rerankGraph({}), passages);
  expect((local.result as { documents: { id: string }[] }).documents.map((document) => document.id)).toEqual(['p1', 'p2']);
});

test('Database Query binds its parameters, caps rows, and refuses writes when read-only', async () => {
  const credentialId = await credential('App database', 'postgres', { connectionString: api.database.url });
  const query = (config: Record<string, unknown>) =>
    runGraph({
      nodes: [graphNode('start', 'start'), graphNode('query', 'database-query', { credentialId, ...config }), graphNode('end', 'end')],
      edges: [graphEdge('start', 'query'), graphEdge('query', 'end')],
    });
  const hostile = "x'); drop table workspaces; --";
  const bound = await query({ sql: 'select $1::text as value, $2::int + 1 as next from generate_series(1, 5)', params: [hostile, 41], maxRows: 3 });
  expect(bound.result).toEqual({ rows: [{ value: hostile, next: 42 }, { value: hostile, next: 42 }, { value: hostile, next: 42 }], rowCount: 3, columns: ['value', 'next'], truncated: true });

  const empty = await query({ sql: 'select 1 as one where false' });
  expect(empty.result).toEqual({ rows: [], rowCount: 0, columns: ['one'], truncated: false });

  const changed = await query({ sql: 'create temporary table counted as select generate_series(1, 4) as n', readOnly: false });
  expect(changed.result).toEqual({ rows: [], rowCount: 4, columns: [], truncated: false });

  const write = await query({ sql: 'create table should_not_exist (id int)' });
  expect(write.status).toBe('failed');
  expect(JSON.stringify(write.error)).toMatch(/read-only transaction.*SQLSTATE 25006/);
  expect(write.nodes.find((node) => node.id === 'query')?.attempts).toBe(1);
  const exists = await api.services.orm.em.getKnex().raw<{ rows: { present: boolean }[] }>(`select to_regclass('should_not_exist') is not null as present`);
  expect(exists.rows[0].present).toBe(false);
});
