import { randomUUID } from 'node:crypto';
import { localEmbedding } from '../activities/embeddings/local-embedder';
import { CollectionMismatchError, CollectionNotFoundError } from '../activities/services/vector-store';
import { requireEmbeddedDatabaseForPgvector } from '../test/pgvector-database';
import { Workspace } from './entities';
import { createTestDatabase, type TestDatabase } from './test-database';
import { BULK_LOAD_RECORDS, DbVectorStore } from './vector-store';

requireEmbeddedDatabaseForPgvector();

let db: TestDatabase;
let store: DbVectorStore;
let workspaceId: string;
beforeAll(async () => {
  db = await createTestDatabase();
  store = new DbVectorStore(db.orm.em.getKnex());
  const em = db.orm.em.fork();
  workspaceId = randomUUID();
  em.create(Workspace, { id: workspaceId, name: 'vectors' });
  await em.flush();
}, 60_000);
afterAll(() => db?.close());

const texts = [
  'The lighthouse keeper lit the lamp at dusk every evening.',
  'Sourdough bread needs a lively starter and a long rise.',
  'The committee approved the budget for the new library wing.',
  'Penguins huddle together to survive the antarctic winter.',
];
const record = (text: string, metadata: Record<string, unknown> = {}) => ({ text, metadata, embedding: localEmbedding(text, 64) });

test('a collection gets its own HNSW index over the dimension-cast expression, and searches use it', async () => {
  const collection = await store.ensureCollection(workspaceId, 'indexed', { dimension: 64, metric: 'cosine' });
  const knex = db.orm.em.getKnex();
  const index = await knex.raw<{ rows: { indexdef: string }[] }>(`select indexdef from pg_indexes where tablename = 'vector_chunks' and indexdef like '%hnsw%' and indexdef like ?`, [`%${collection.id}%`]);
  expect(index.rows[0].indexdef).toMatch(/USING hnsw \(\(\(embedding\)::vector\(64\)\) vector_cosine_ops\) WHERE \(collection_id = '[0-9a-f-]+'::uuid\)/);
  await store.upsert(workspaceId, 'indexed', texts.map((text) => record(text)));
  const plan = await knex.transaction(async (trx) => {
    // A handful of rows: without this the planner rightly prefers reading them all.
    await trx.raw('set local enable_seqscan = off; set local enable_bitmapscan = off');
    return trx.raw<{ rows: Record<string, string>[] }>(
      `explain select id from vector_chunks where collection_id = ? order by (embedding::vector(64)) <=> ?::vector(64) limit 3`,
      [collection.id, `[${localEmbedding('lamp', 64).join(',')}]`],
    );
  });
  expect(plan.rows.map((row) => Object.values(row)[0]).join('\n')).toContain(`vector_chunks_hnsw_${collection.id.replace(/-/g, '')}`);
});

test('upserting the same text again adds nothing; search ranks by similarity, with k, threshold and filter', async () => {
  await store.ensureCollection(workspaceId, 'facts', { dimension: 64, metric: 'cosine' });
  const first = await store.upsert(workspaceId, 'facts', texts.map((text, index) => ({ ...record(text, { source: index % 2 ? 'odd' : 'even' }), id: `doc-${index}` })));
  expect(first).toEqual({ added: 4, skipped: 0 });
  const again = await store.upsert(workspaceId, 'facts', [record(texts[0], { other: true }), record(texts[1]), record('A brand new sentence about lighthouses.')]);
  expect(again).toEqual({ added: 1, skipped: 2 });

  const query = localEmbedding('who lit the lighthouse lamp at dusk', 64);
  const top = await store.search(workspaceId, 'facts', { embedding: query, k: 2 });
  expect(top).toHaveLength(2);
  expect(top[0]).toMatchObject({ text: texts[0], metadata: { source: 'even', documentId: 'doc-0' } });
  expect(top[0].score).toBeGreaterThan(top[1].score);

  const strict = await store.search(workspaceId, 'facts', { embedding: query, k: 5, scoreThreshold: top[0].score - 1e-6 });
  expect(strict.map((match) => match.text)).toEqual([texts[0]]);
  const odd = await store.search(workspaceId, 'facts', { embedding: query, k: 5, filter: { source: 'odd' } });
  expect(odd.map((match) => match.text).sort()).toEqual([texts[1], texts[3]].sort());
  const exact = await store.search(workspaceId, 'facts', { embedding: query, k: 2 }, { exact: true });
  expect(exact.map((match) => match.id)).toEqual(top.map((match) => match.id));
});

test('delete by id and by metadata filter; collections are per workspace and keep their dimension', async () => {
  await store.ensureCollection(workspaceId, 'deletions', { dimension: 64, metric: 'l2' });
  await store.upsert(workspaceId, 'deletions', texts.map((text, index) => record(text, { group: index < 2 ? 'a' : 'b' })));
  const [match] = await store.search(workspaceId, 'deletions', { embedding: localEmbedding(texts[3], 64), k: 1 });
  expect(match.score).toBeCloseTo(1, 5);
  expect(await store.delete(workspaceId, 'deletions', { ids: [match.id, 'not-a-uuid'] })).toBe(1);
  expect(await store.delete(workspaceId, 'deletions', { filter: { group: 'a' } })).toBe(2);
  const left = await store.search(workspaceId, 'deletions', { embedding: localEmbedding(texts[2], 64), k: 10 });
  expect(left.map((m) => m.text)).toEqual([texts[2]]);

  await expect(store.ensureCollection(workspaceId, 'deletions', { dimension: 32, metric: 'l2' })).rejects.toThrow(CollectionMismatchError);
  await expect(store.upsert(workspaceId, 'deletions', [{ text: 'short', metadata: {}, embedding: [1, 0] }])).rejects.toThrow(/2 dimensions/);
  await expect(store.search(randomUUID(), 'deletions', { embedding: localEmbedding('x', 64), k: 1 })).rejects.toThrow(CollectionNotFoundError);
  expect((await store.collections.list(undefined)).map((c) => c.name)).not.toContain('deletions');
});

test('a bulk load rebuilds the index once after its rows are in; a load smaller than the collection inserts into it', async () => {
  const collection = await store.ensureCollection(workspaceId, 'bulk', { dimension: 64, metric: 'cosine' });
  const knex = db.orm.em.getKnex();
  const indexOid = async () => (await knex.raw<{ rows: { oid: number }[] }>(`select to_regclass(?)::oid::int as oid`, [`vector_chunks_hnsw_${collection.id.replace(/-/g, '')}`])).rows[0].oid;
  const load = (from: number) => Array.from({ length: BULK_LOAD_RECORDS }, (_, index) => record(`chunk ${from + index} about topic ${(from + index) % 37}`));

  const created = await indexOid();
  expect(await store.upsert(workspaceId, 'bulk', load(0))).toEqual({ added: BULK_LOAD_RECORDS, skipped: 0 });
  const rebuilt = await indexOid();
  expect(rebuilt).not.toBe(created);
  expect(await store.upsert(workspaceId, 'bulk', [...load(0).slice(0, 10), record('one more chunk')])).toEqual({ added: 1, skipped: 10 });
  expect(await indexOid()).toBe(rebuilt);
  // The collection now holds more than the next load brings: it goes into the index row by row.
  expect(await store.upsert(workspaceId, 'bulk', load(BULK_LOAD_RECORDS))).toEqual({ added: BULK_LOAD_RECORDS, skipped: 0 });
  expect(await indexOid()).toBe(rebuilt);

  const query = localEmbedding(`chunk ${BULK_LOAD_RECORDS + 5} about topic ${(BULK_LOAD_RECORDS + 5) % 37}`, 64);
  const [indexed] = await store.search(workspaceId, 'bulk', { embedding: query, k: 1 });
  const [exact] = await store.search(workspaceId, 'bulk', { embedding: query, k: 1 }, { exact: true });
  expect(indexed.text).toBe(exact.text);
});
