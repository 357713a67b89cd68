import { randomUUID } from 'node:crypto';
import { localEmbedding } from '../../activities/embeddings/local-embedder';
import { startEmbeddedPostgres } from '../../db/embedded-postgres';
import { Workspace } from '../../db/entities';
import { migrateToLatest, openDatabase } from '../../db/orm';
import { DbVectorStore } from '../../db/vector-store';
import { round, type Metric } from './results';
import { percentile } from './stats';

/**
 * Loads chunks of generated text, embedded by the local embedder (384 dimensions), into a pgvector collection on the
 * embedded PGlite database, then times k-nearest-neighbour searches through the collection's HNSW index and measures
 * their recall@k against the exact answer (the same query with index scans turned off).
 */

export const DIMENSIONS = 384;
export const K = 10;
export const TOPICS = 200;
const WORDS_PER_TOPIC = 40;
const WORDS_PER_CHUNK = 30;
export const EF_SEARCH = [40, 100, 200];

export interface VectorSearchResult {
  loadSeconds: number;
  /** search, p50 ms, p99 ms, recall@K: one row per ef_search and one for exact search. */
  rows: (string | number)[][];
  metrics: Metric[];
  samples: Record<string, number[]>;
}

export async function measureVectorSearch(chunks: number, queries: number, progress: (line: string) => void): Promise<VectorSearchResult> {
  const server = await startEmbeddedPostgres({ dir: 'memory://', port: 0 });
  const orm = await openDatabase(server.url, { embedded: true });
  try {
    await migrateToLatest(orm);
    const workspaceId = randomUUID();
    await orm.em.fork().insert(Workspace, { id: workspaceId, name: 'bench', createdAt: new Date() });
    const store = new DbVectorStore(orm.em.getKnex());
    await store.ensureCollection(workspaceId, 'bench', { dimension: DIMENSIONS, metric: 'cosine' });

    const text = textGenerator(42);
    const loadStarted = performance.now();
    // One upsert of every chunk, as the Vector Store Upsert node makes with the documents it is given.
    const records = Array.from({ length: chunks }, (_, index) => {
      const chunk = text();
      return { text: `${index}: ${chunk.text}`, metadata: { topic: chunk.topic }, embedding: localEmbedding(chunk.text, DIMENSIONS) };
    });
    progress(`embedded ${chunks}; loading`);
    await store.upsert(workspaceId, 'bench', records);
    const loadSeconds = (performance.now() - loadStarted) / 1000;

    const queryText = textGenerator(7);
    const queryVectors = Array.from({ length: queries }, () => localEmbedding(queryText().text.split(' ').slice(0, 8).join(' '), DIMENSIONS));
    const exactMs: number[] = [];
    const truths: Set<string>[] = [];
    for (const embedding of queryVectors) {
      const started = performance.now();
      const truth = await store.search(workspaceId, 'bench', { embedding, k: K }, { exact: true });
      exactMs.push(performance.now() - started);
      truths.push(new Set(truth.map((match) => match.id)));
    }
    const samples: Record<string, number[]> = { exactMs };
    const metrics: Metric[] = [{ metric: 'load (embed + upsert + HNSW build)', value: round(loadSeconds, 1), unit: 's' }];
    const rows: (string | number)[][] = [];
    for (const efSearch of EF_SEARCH) {
      const latencies: number[] = [];
      let sameIds = 0;
      for (const [index, embedding] of queryVectors.entries()) {
        const started = performance.now();
        const approximate = await store.search(workspaceId, 'bench', { embedding, k: K }, { efSearch });
        latencies.push(performance.now() - started);
        sameIds += approximate.filter((match) => truths[index].has(match.id)).length;
      }
      const sorted = [...latencies].sort((a, b) => a - b);
      const row = { p50: round(percentile(sorted, 50), 2), p99: round(percentile(sorted, 99), 2), recall: round(sameIds / (queries * K), 3) };
      rows.push([`HNSW, ef_search ${efSearch}`, row.p50, row.p99, row.recall]);
      samples[`hnswEf${efSearch}Ms`] = latencies;
      metrics.push(
        { metric: `ef_search ${efSearch}: search p50`, value: row.p50, unit: 'ms' },
        { metric: `ef_search ${efSearch}: search p99`, value: row.p99, unit: 'ms' },
        { metric: `ef_search ${efSearch}: recall@${K}`, value: row.recall, unit: '' },
      );
    }
    const sortedExact = [...exactMs].sort((a, b) => a - b);
    rows.push(['exact (no index)', round(percentile(sortedExact, 50), 2), round(percentile(sortedExact, 99), 2), 1]);
    metrics.push({ metric: 'exact search p50', value: round(percentile(sortedExact, 50), 2), unit: 'ms' }, { metric: 'exact search p99', value: round(percentile(sortedExact, 99), 2), unit: 'ms' });
    return { loadSeconds, rows, metrics, samples };
  } finally {
    await orm.close();
    await server.stop();
  }
}

/**
 * Chunks about one of many topics: most words from the topic's own vocabulary, some from a shared one. Vectors of
 * such text cluster the way real documents do, which is what makes an HNSW recall figure mean something (uniformly
 * random vectors have no near neighbours to find).
 */
function textGenerator(seed: number): () => { text: string; topic: number } {
  const random = mulberry32(seed);
  const vocabulary = (topic: number) => Array.from({ length: WORDS_PER_TOPIC }, (_, word) => `t${topic}w${word}`);
  const shared = Array.from({ length: 500 }, (_, word) => `common${word}`);
  return () => {
    const topic = Math.floor(random() * TOPICS);
    const own = vocabulary(topic);
    const words = Array.from({ length: WORDS_PER_CHUNK }, () => (random() < 0.7 ? own[Math.floor(random() * own.length)] : shared[Math.floor(random() * shared.length)]));
    return { text: words.join(' '), topic };
  };
}

/** A small seeded PRNG, so every run loads the same data. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
