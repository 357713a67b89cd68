import { createHash, randomUUID } from 'node:crypto';
import type { Knex } from '@mikro-orm/postgresql';
import pgvector from 'pgvector';
import {
  CollectionMismatchError,
  VectorSupportMissingError,
  type DistanceMetric,
  type VectorCollectionInfo,
  type VectorMatch,
  type VectorRecord,
  type VectorSearch,
  type VectorStore,
  type WorkspaceScope,
} from '../activities/services/vector-store';
import { isUuid } from './entities/columns';
import { createIndexSql, indexName, METRIC_SQL, VectorCollections } from './vector-collections';

/** Rows per INSERT statement: well under PostgreSQL's 65,535 bound parameters. */
const INSERT_BATCH = 500;

/**
 * New records from which an upsert may rebuild the HNSW index instead of inserting into it: smaller loads are quick
 * row by row and not worth locking the chunk table for.
 */
export const BULK_LOAD_RECORDS = 1000;

/** pgvector's default `hnsw.ef_search`; searches asking for more neighbours (or filtering) widen it. */
const DEFAULT_EF_SEARCH = 40;

/**
 * The VectorStore nodes use, on pgvector: chunks of every collection in one table, each collection searched through
 * its own partial HNSW index by repeating the index's expression `embedding::vector(D)`. Every call is one statement
 * or one short transaction on a single connection (PGlite serves one session: nothing else is awaited inside).
 */
export class DbVectorStore implements VectorStore {
  readonly collections: VectorCollections;

  constructor(private readonly knex: Knex) {
    this.collections = new VectorCollections(knex);
  }

  async ensureCollection(workspaceId: WorkspaceScope, name: string, options: { dimension: number; metric: DistanceMetric }): Promise<VectorCollectionInfo> {
    return (await this.collections.ensure(workspaceId, name, options)).collection;
  }

  /**
   * Adds the records whose text the collection does not hold yet. A bulk load (at least {@link BULK_LOAD_RECORDS}
   * new records, and at least as many as the collection holds) rebuilds the collection's HNSW index once after the
   * rows are in, in the same transaction, instead of inserting into it row by row: ~8× faster for 20,000 chunks on
   * PGlite. The index drop locks the chunk table until the load commits, so other collections' searches wait for it.
   */
  async upsert(workspaceId: WorkspaceScope, name: string, records: VectorRecord[]): Promise<{ added: number; skipped: number }> {
    await this.requireSupport();
    const collection = await this.collections.require(workspaceId, name);
    records.forEach((record, index) => checkDimension(collection, record.embedding, `record ${index}`));
    const entries = [...new Map(records.map((record) => [contentHash(record.text), record]))];
    const added = (await this.isBulkLoad(collection, entries.length))
      ? await this.knex.transaction(async (trx) => {
          await trx.raw('drop index if exists ??', [indexName(collection.id)]);
          const inserted = await insertChunks(trx, collection, entries);
          await trx.raw(createIndexSql(collection.id, collection.dimension, collection.metric));
          return inserted;
        })
      : await insertChunks(this.knex, collection, entries);
    return { added, skipped: records.length - added };
  }

  /** Counts the collection's chunks only as far as the answer needs: a large collection is never counted whole. */
  private async isBulkLoad(collection: VectorCollectionInfo, newRecords: number): Promise<boolean> {
    if (newRecords < BULK_LOAD_RECORDS) return false;
    const held = await this.knex.raw<{ rows: { count: number }[] }>(
      'select count(*)::int as count from (select 1 from vector_chunks where collection_id = ? limit ?) as held',
      [collection.id, newRecords + 1],
    );
    return held.rows[0].count <= newRecords;
  }

  /**
   * Nearest chunks by the collection's metric through its HNSW index; `exact` turns index scans off for the same
   * query, which is the ground truth the benchmark measures recall against, and `efSearch` sets the index's
   * candidate list (the benchmark's speed/recall trade-off).
   */
  async search(workspaceId: WorkspaceScope, name: string, query: VectorSearch, options: { exact?: boolean; efSearch?: number } = {}): Promise<VectorMatch[]> {
    await this.requireSupport();
    const collection = await this.collections.require(workspaceId, name);
    checkDimension(collection, query.embedding, 'the query vector');
    const { operator, score } = METRIC_SQL[collection.metric];
    const distance = `(embedding::vector(${collection.dimension})) ${operator} ?::vector(${collection.dimension})`;
    const vector = pgvector.toSql(query.embedding);
    const filter = query.filter && Object.keys(query.filter).length > 0 ? JSON.stringify(query.filter) : undefined;
    const rows = await this.knex.transaction(async (trx) => {
      if (options.exact) await trx.raw('set local enable_indexscan = off');
      else await trx.raw(`set local hnsw.ef_search = ${efSearchFor(query.k, filter !== undefined, options.efSearch)}`);
      const result = await trx.raw<{ rows: { id: string; content: string; metadata: Record<string, unknown>; distance: number }[] }>(
        `select id, content, metadata, ${distance} as distance from vector_chunks
          where collection_id = ?${filter ? ' and metadata @> ?::jsonb' : ''}
          order by ${distance} limit ?`,
        [vector, collection.id, ...(filter ? [filter] : []), vector, query.k],
      );
      return result.rows;
    });
    return rows
      .map((row) => ({ id: row.id, text: row.content, metadata: row.metadata, score: score(Number(row.distance)) }))
      .filter((match) => query.scoreThreshold === undefined || match.score >= query.scoreThreshold);
  }

  async delete(workspaceId: WorkspaceScope, name: string, selector: { ids?: string[]; filter?: Record<string, unknown> }): Promise<number> {
    await this.requireSupport();
    const collection = await this.collections.require(workspaceId, name);
    const conditions: string[] = [];
    const bindings: (string | string[])[] = [collection.id];
    if (selector.ids) {
      conditions.push('id = any(?::uuid[])');
      bindings.push(selector.ids.filter(isUuid));
    }
    if (selector.filter) {
      conditions.push('metadata @> ?::jsonb');
      bindings.push(JSON.stringify(selector.filter));
    }
    if (conditions.length === 0) throw new CollectionMismatchError('say which chunks to delete: ids, a metadata filter, or both');
    const result = await this.knex.raw<{ rowCount: number }>(`delete from vector_chunks where collection_id = ? and ${conditions.join(' and ')}`, bindings);
    return result.rowCount;
  }

  private async requireSupport(): Promise<void> {
    if (!(await this.collections.hasVectorSupport())) throw new VectorSupportMissingError();
  }
}

/** Inserts in statements of {@link INSERT_BATCH} rows; answers how many were new. */
async function insertChunks(knex: Knex, collection: VectorCollectionInfo, entries: [hash: string, record: VectorRecord][]): Promise<number> {
  let added = 0;
  for (let start = 0; start < entries.length; start += INSERT_BATCH) {
    const batch = entries.slice(start, start + INSERT_BATCH);
    const bindings = batch.flatMap(([hash, record]) => [
      randomUUID(),
      collection.id,
      record.text,
      hash,
      JSON.stringify(record.id === undefined ? record.metadata : { ...record.metadata, documentId: record.id }),
      pgvector.toSql(record.embedding),
    ]);
    const result = await knex.raw<{ rows: unknown[] }>(
      `insert into vector_chunks (id, collection_id, content, content_hash, metadata, embedding)
       values ${batch.map(() => '(?, ?, ?, ?, ?::jsonb, ?::vector)').join(', ')}
       on conflict (collection_id, content_hash) do nothing returning id`,
      bindings,
    );
    added += result.rows.length;
  }
  return added;
}

/** A filtered search drops candidates after the index scan, so it asks the index for more. */
function efSearchFor(k: number, filtered: boolean, requested?: number): number {
  const wanted = requested ?? Math.max(DEFAULT_EF_SEARCH, k * (filtered ? 4 : 1));
  if (!Number.isInteger(wanted) || wanted < 1) throw new RangeError('efSearch must be a positive integer');
  return Math.min(1000, wanted);
}

/** What makes two chunks "the same" for re-ingestion: their text, whatever their metadata. */
export function contentHash(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function checkDimension(collection: VectorCollectionInfo, vector: number[], what: string): void {
  if (vector.length !== collection.dimension || vector.some((value) => !Number.isFinite(value))) {
    throw new CollectionMismatchError(
      `${what} has ${vector.length} dimensions (or a non-finite value); collection "${collection.name}" holds ${collection.dimension}-dimensional vectors`,
    );
  }
}
