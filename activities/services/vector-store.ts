import { z } from 'zod';

export const DISTANCE_METRICS = ['cosine', 'l2', 'inner_product'] as const;
export type DistanceMetric = (typeof DISTANCE_METRICS)[number];

/** pgvector's HNSW index takes vectors of up to 2,000 dimensions. */
export const MAX_VECTOR_DIMENSION = 2000;

/** Collection names are chosen by people and shown on the canvas; they are never part of SQL text. */
export const collectionNameSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9 _.-]{0,99}$/, 'must be 1–100 letters, digits, spaces, dots, dashes or underscores, starting with a letter or digit');

export interface VectorCollectionInfo {
  id: string;
  name: string;
  dimension: number;
  metric: DistanceMetric;
  createdAt: Date;
}

export interface VectorRecord {
  /** The document's own id; kept in the stored chunk's metadata as `documentId`. */
  id?: string;
  text: string;
  metadata: Record<string, unknown>;
  embedding: number[];
}

export interface VectorMatch {
  /** The stored chunk's id. */
  id: string;
  text: string;
  metadata: Record<string, unknown>;
  /** Higher is closer: cosine similarity, inner product, or 1 / (1 + L2 distance). */
  score: number;
}

export interface VectorSearch {
  embedding: number[];
  k: number;
  /** Matches scoring below this are left out. */
  scoreThreshold?: number;
  /** Metadata containment filter (jsonb `@>`): every key given must hold the value given. */
  filter?: Record<string, unknown>;
}

/** `undefined` workspace: a run started without one (the `kai` CLI), whose collections belong to no workspace. */
export type WorkspaceScope = string | undefined;

/** pgvector collections of one workspace: each with a fixed dimension and distance metric and its own HNSW index. */
export interface VectorStore {
  ensureCollection(workspaceId: WorkspaceScope, name: string, options: { dimension: number; metric: DistanceMetric }): Promise<VectorCollectionInfo>;
  /** Adds records whose content hash the collection does not hold yet; returns how many were added and skipped. */
  upsert(workspaceId: WorkspaceScope, collection: string, records: VectorRecord[]): Promise<{ added: number; skipped: number }>;
  search(workspaceId: WorkspaceScope, collection: string, query: VectorSearch): Promise<VectorMatch[]>;
  delete(workspaceId: WorkspaceScope, collection: string, selector: { ids?: string[]; filter?: Record<string, unknown> }): Promise<number>;
}

/** The database has no pgvector: collections can be listed and made, but no vector can be stored or compared. */
export class VectorSupportMissingError extends Error {
  override name = 'VectorSupportMissingError';
  constructor() {
    super('this database has no pgvector extension: vectors cannot be stored or searched (use the embedded database, or install pgvector and migrate again)');
  }
}

export class CollectionNotFoundError extends Error {
  override name = 'CollectionNotFoundError';
  constructor(readonly collection: string) {
    super(`vector collection "${collection}" not found`);
  }
}

/** A vector or a requested setting that does not fit the collection as it was created. */
export class CollectionMismatchError extends Error {
  override name = 'CollectionMismatchError';
}
