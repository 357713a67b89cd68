import { localEmbedding } from '../../activities/embeddings/local-embedder';
import { DbVectorStore } from '../../db/vector-store';
import { createApiHarness, type ApiHarness, type TestAccount } from '../../test/api-harness';
import { requireEmbeddedDatabaseForPgvector } from '../../test/pgvector-database';

requireEmbeddedDatabaseForPgvector();

let api: ApiHarness;
let owner: TestAccount;
let viewer: TestAccount;
beforeAll(async () => {
  api = await createApiHarness();
  owner = await api.signUp('collections');
  viewer = await api.signUp('collections-viewer');
  await api.addMember(owner, viewer, 'viewer');
}, 120_000);
afterAll(() => api?.close());

const texts = ['Tide tables are posted at the harbour office.', 'The ferry leaves at noon on Sundays.', 'Fresh mackerel is sold from the boats.'];

test('create, inspect (count and size), search by text or vector, delete; names are unique per workspace', async () => {
  const created = await api.request('POST', '/api/v1/collections', { token: owner.token, body: { name: 'harbour', dimension: 64 } });
  expect(created.status).toBe(201);
  expect(created.body).toMatchObject({ name: 'harbour', dimension: 64, metric: 'cosine', count: 0 });
  const duplicate = await api.request('POST', '/api/v1/collections', { token: owner.token, body: { name: 'harbour', dimension: 64 } });
  expect({ status: duplicate.status, message: duplicate.body.error.message }).toEqual({ status: 409, message: expect.stringContaining('"harbour"') });

  const store = new DbVectorStore(api.services.orm.em.getKnex());
  await store.upsert(owner.workspaceId, 'harbour', texts.map((text, index) => ({ text, metadata: { line: index }, embedding: localEmbedding(text, 64) })));
  const inspected = await api.request('GET', `/api/v1/collections/${created.body.id}`, { token: viewer.token, headers: { 'x-kai-workspace': owner.workspaceId } });
  expect(inspected.status).toBe(200);
  expect(inspected.body.count).toBe(3);
  expect(inspected.body.sizeBytes).toBeGreaterThan(3 * 64 * 4);
  const listed = await api.request('GET', '/api/v1/collections', { token: owner.token });
  expect(listed.body).toEqual([inspected.body]);

  const byText = await api.request('POST', `/api/v1/collections/${created.body.id}/search`, { token: owner.token, body: { query: 'when does the ferry leave', k: 2 } });
  expect(byText.status).toBe(200);
  expect(byText.body.matches).toHaveLength(2);
  expect(byText.body.matches[0]).toMatchObject({ text: texts[1], metadata: { line: 1 } });
  const filtered = await api.request('POST', `/api/v1/collections/${created.body.id}/search`, { token: owner.token, body: { vector: localEmbedding(texts[2], 64), filter: { line: 0 } } });
  expect(filtered.body.matches.map((match: { text: string }) => match.text)).toEqual([texts[0]]);
  const wrongSize = await api.request('POST', `/api/v1/collections/${created.body.id}/search`, { token: owner.token, body: { vector: [1, 2, 3] } });
  expect({ status: wrongSize.status, message: wrongSize.body.error.message }).toEqual({ status: 400, message: expect.stringMatching(/^body\.vector: .*3 dimensions.*64/) });
  const both = await api.request('POST', `/api/v1/collections/${created.body.id}/search`, { token: owner.token, body: { query: 'x', vector: [1] } });
  expect(both.status).toBe(400);
  const noCredential = await api.request('POST', `/api/v1/collections/${created.body.id}/search`, { token: owner.token, body: { query: 'x', embedder: { provider: 'openai' } } });
  expect({ status: noCredential.status, message: noCredential.body.error.message }).toEqual({ status: 400, message: 'body.embedder.credentialId: required for the openai provider' });
  const unknownCredential = await api.request('POST', `/api/v1/collections/${created.body.id}/search`, {
    token: owner.token,
    body: { query: 'x', embedder: { provider: 'openai', credentialId: '00000000-0000-4000-8000-000000000000' } },
  });
  expect(unknownCredential.status).toBe(404);
  const viewerSearch = await api.request('POST', `/api/v1/collections/${created.body.id}/search`, { token: viewer.token, headers: { 'x-kai-workspace': owner.workspaceId }, body: { query: 'ferry' } });
  expect(viewerSearch.status).toBe(403);

  expect((await api.request('DELETE', `/api/v1/collections/${created.body.id}`, { token: owner.token })).status).toBe(204);
  expect((await api.request('GET', `/api/v1/collections/${created.body.id}`, { token: owner.token })).status).toBe(404);
  const index = await api.services.orm.em.getKnex().raw<{ rows: unknown[] }>(`select 1 from pg_indexes where indexname like ?`, [`%${created.body.id.replace(/-/g, '')}`]);
  expect(index.rows).toEqual([]);
});

test('another workspace neither sees nor finds the collection', async () => {
  const created = await api.request('POST', '/api/v1/collections', { token: owner.token, body: { name: 'private', dimension: 8, metric: 'l2' } });
  const stranger = await api.signUp('stranger');
  expect((await api.request('GET', '/api/v1/collections', { token: stranger.token })).body).toEqual([]);
  expect((await api.request('GET', `/api/v1/collections/${created.body.id}`, { token: stranger.token })).status).toBe(404);
  expect((await api.request('DELETE', `/api/v1/collections/${created.body.id}`, { token: stranger.token })).status).toBe(404);
});
