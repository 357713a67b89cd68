import { Migration } from '@mikro-orm/migrations';

/**
 * The chunk table as this migration creates it. A database migrated before pgvector was installed gets it later from
 * `addVectorChunksIfPossible` (db/vector-chunks-catch-up.ts), which runs these same statements.
 */
export const VECTOR_CHUNKS_SQL: readonly string[] = [
  `create extension if not exists vector;`,
  `create table "vector_chunks" ("id" uuid not null, "collection_id" uuid not null, "content" text not null, "content_hash" text not null, "metadata" jsonb not null default '{}', "embedding" vector not null, "created_at" timestamptz not null default now(), constraint "vector_chunks_pkey" primary key ("id"));`,
  `alter table "vector_chunks" add constraint "vector_chunks_collection_id_content_hash_unique" unique ("collection_id", "content_hash");`,
  `create index "vector_chunks_metadata_index" on "vector_chunks" using gin ("metadata" jsonb_path_ops);`,
  `alter table "vector_chunks" add constraint "vector_chunks_collection_id_foreign" foreign key ("collection_id") references "vector_collections" ("id") on update cascade on delete cascade;`,
];

/**
 * Vector collections, and their chunks where pgvector exists. The collection registry is plain SQL and exists
 * everywhere; `vector_chunks` needs the `vector` type, so a server without the extension (PostgreSQL without
 * pgvector) gets no chunk table, and storing or searching vectors answers that pgvector is missing. Each
 * collection adds its own partial HNSW index over `embedding::vector(D)` when it is created (db/vector-collections.ts):
 * the column has no fixed dimension, which lets collections of different sizes share one table.
 */
export class Migration20261122070305_vectors extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "vector_collections" ("id" uuid not null, "workspace_id" uuid null, "name" text not null, "dimension" int not null check ("dimension" between 1 and 2000), "metric" text check ("metric" in ('cosine', 'l2', 'inner_product')) not null, "created_at" timestamptz not null default now(), constraint "vector_collections_pkey" primary key ("id"));`);
    this.addSql(`create unique index "vector_collections_workspace_id_name_unique" on "vector_collections" ("workspace_id", "name") nulls not distinct;`);
    this.addSql(`alter table "vector_collections" add constraint "vector_collections_workspace_id_foreign" foreign key ("workspace_id") references "workspaces" ("id") on update cascade on delete cascade;`);

    const available = await this.execute(`select 1 from pg_available_extensions where name = 'vector'`);
    if (available.length === 0) return;
    for (const statement of VECTOR_CHUNKS_SQL) this.addSql(statement);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "vector_chunks";`);
    this.addSql(`drop table if exists "vector_collections";`);
  }

}
