import type { Knex } from '@mikro-orm/postgresql';
import type { DistanceMetric } from '../activities/services/vector-store';
import { VECTOR_CHUNKS_SQL } from './migrations/Migration20261122070305_vectors';
import { createIndexSql } from './vector-collections';

/** How {@link migrateToLatest} names this step among the migrations it applied. */
export const VECTOR_CHUNKS_CATCH_UP = 'vector_chunks (pgvector installed after the vectors migration)';

/**
 * The vectors migration creates `vector_chunks` only where pgvector is available, and a migration runs once: a
 * database migrated before pgvector was installed would never get the table. This runs the migration's chunk
 * statements (and each existing collection's HNSW index) when pgvector is available now and the table is missing;
 * true when it did. Idempotent, so every migrate may call it.
 */
export async function addVectorChunksIfPossible(knex: Knex): Promise<boolean> {
  const state = await knex.raw<{ rows: { available: boolean; missing: boolean }[] }>(
    `select exists (select 1 from pg_available_extensions where name = 'vector') as available,
            to_regclass('vector_chunks') is null and to_regclass('vector_collections') is not null as missing`,
  );
  const { available, missing } = state.rows[0];
  if (!available || !missing) return false;
  await knex.transaction(async (trx) => {
    for (const statement of VECTOR_CHUNKS_SQL) await trx.raw(statement);
    const collections = await trx.raw<{ rows: { id: string; dimension: number; metric: DistanceMetric }[] }>(`select id, dimension, metric from vector_collections`);
    for (const collection of collections.rows) await trx.raw(createIndexSql(collection.id, collection.dimension, collection.metric));
  });
  return true;
}
