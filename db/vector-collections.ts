import { randomUUID } from 'node:crypto';
import type { Knex } from '@mikro-orm/postgresql';
import {
  CollectionMismatchError,
  CollectionNotFoundError,
  type DistanceMetric,
  type VectorCollectionInfo,
  type WorkspaceScope,
} from '../activities/services/vector-store';
import { isUuid } from './entities/columns';

/** How each metric is indexed and compared in pgvector, and how its distance becomes a "higher is closer" score. */
export const METRIC_SQL: Record<DistanceMetric, { ops: string; operator: string; score: (distance: number) => number }> = {
  cosine: { ops: 'vector_cosine_ops', operator: '<=>', score: (distance) => 1 - distance },
  l2: { ops: 'vector_l2_ops', operator: '<->', score: (distance) => 1 / (1 + distance) },
  inner_product: { ops: 'vector_ip_ops', operator: '<#>', score: (distance) => -distance },
};

interface CollectionRow {
  id: string;
  name: string;
  dimension: number;
  metric: DistanceMetric;
  created_at: Date;
}

/**
 * The registry of vector collections (plain SQL: it exists with or without pgvector). Creating a collection also
 * creates its partial HNSW index over `embedding::vector(D)`, the expression every search of it uses: pgvector's
 * documented way to index one column holding vectors of several dimensions.
 */
export class VectorCollections {
  private support?: Promise<boolean>;

  constructor(private readonly knex: Knex) {}

  /** Whether the migration could create the chunk table, i.e. the database has pgvector. */
  hasVectorSupport(): Promise<boolean> {
    this.support ??= this.knex
      .raw<{ rows: { present: boolean }[] }>(`select to_regclass('vector_chunks') is not null as present`)
      .then((result) => result.rows[0].present);
    return this.support;
  }

  async list(workspaceId: WorkspaceScope): Promise<VectorCollectionInfo[]> {
    const result = await this.knex.raw<{ rows: CollectionRow[] }>(
      `select id, name, dimension, metric, created_at from vector_collections where workspace_id is not distinct from ?::uuid order by name`,
      [workspaceId ?? null],
    );
    return result.rows.map(toInfo);
  }

  async find(workspaceId: WorkspaceScope, selector: { name: string } | { id: string }): Promise<VectorCollectionInfo | undefined> {
    if ('id' in selector && !isUuid(selector.id)) return undefined;
    const [column, value] = 'id' in selector ? ['id', selector.id] : ['name', selector.name];
    const result = await this.knex.raw<{ rows: CollectionRow[] }>(
      `select id, name, dimension, metric, created_at from vector_collections where workspace_id is not distinct from ?::uuid and ${column} = ?`,
      [workspaceId ?? null, value],
    );
    return result.rows[0] && toInfo(result.rows[0]);
  }

  async require(workspaceId: WorkspaceScope, name: string): Promise<VectorCollectionInfo> {
    const found = await this.find(workspaceId, { name });
    if (!found) throw new CollectionNotFoundError(name);
    return found;
  }

  /**
   * Creates the collection and its index in one transaction, or finds the one that exists. `created` says which;
   * an existing collection of another dimension or metric is a {@link CollectionMismatchError}.
   */
  async ensure(workspaceId: WorkspaceScope, name: string, options: { dimension: number; metric: DistanceMetric }): Promise<{ collection: VectorCollectionInfo; created: boolean }> {
    const indexed = await this.hasVectorSupport();
    const createdId = await this.knex.transaction(async (trx) => {
      const inserted = await trx.raw<{ rows: { id: string }[] }>(
        `insert into vector_collections (id, workspace_id, name, dimension, metric) values (?, ?::uuid, ?, ?, ?) on conflict do nothing returning id`,
        [randomUUID(), workspaceId ?? null, name, options.dimension, options.metric],
      );
      const id = inserted.rows[0]?.id;
      if (id && indexed) await trx.raw(createIndexSql(id, options.dimension, options.metric));
      return id;
    });
    const collection = await this.require(workspaceId, name);
    if (!createdId && (collection.dimension !== options.dimension || collection.metric !== options.metric)) {
      throw new CollectionMismatchError(
        `collection "${name}" holds ${collection.dimension}-dimensional vectors compared by ${collection.metric}; ${options.dimension} dimensions by ${options.metric} were asked for`,
      );
    }
    return { collection, created: createdId !== undefined };
  }

  /** Deletes the collection, its chunks (by cascade) and its index; false when there was none. */
  async drop(workspaceId: WorkspaceScope, id: string): Promise<boolean> {
    if (!isUuid(id)) return false;
    return this.knex.transaction(async (trx) => {
      const deleted = await trx.raw<{ rows: { id: string }[] }>(`delete from vector_collections where workspace_id is not distinct from ?::uuid and id = ? returning id`, [workspaceId ?? null, id]);
      if (deleted.rows.length === 0) return false;
      await trx.raw(`drop index if exists ??`, [indexName(id)]);
      return true;
    });
  }

  /** How many chunks the collection holds, and the bytes of those rows plus its index. */
  async stats(collection: VectorCollectionInfo): Promise<{ count: number; sizeBytes: number }> {
    if (!(await this.hasVectorSupport())) return { count: 0, sizeBytes: 0 };
    const result = await this.knex.raw<{ rows: { count: number; row_bytes: string; index_bytes: string | null }[] }>(
      `select count(*)::int as count, coalesce(sum(pg_column_size(c.*)), 0)::bigint as row_bytes,
              pg_relation_size(to_regclass(?)) as index_bytes
         from vector_chunks c where c.collection_id = ?`,
      [indexName(collection.id), collection.id],
    );
    const row = result.rows[0];
    return { count: row.count, sizeBytes: Number(row.row_bytes) + Number(row.index_bytes ?? 0) };
  }
}

export function indexName(collectionId: string): string {
  return `vector_chunks_hnsw_${collectionId.replace(/-/g, '')}`;
}

/** The id is a generated uuid and the dimension an integer, both checked here: nothing people typed reaches this SQL. */
export function createIndexSql(collectionId: string, dimension: number, metric: DistanceMetric): string {
  if (!isUuid(collectionId) || !Number.isInteger(dimension)) throw new Error('refusing to build index SQL from unchecked values');
  return `create index "${indexName(collectionId)}" on vector_chunks using hnsw ((embedding::vector(${dimension})) ${METRIC_SQL[metric].ops}) where collection_id = '${collectionId}'`;
}

function toInfo(row: CollectionRow): VectorCollectionInfo {
  return { id: row.id, name: row.name, dimension: row.dimension, metric: row.metric, createdAt: new Date(row.created_at) };
}
