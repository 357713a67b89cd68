import { z } from 'zod';
import { embedderSpecSchema } from '../activities/embeddings/embedder-spec';
import { collectionNameSchema, DISTANCE_METRICS, MAX_VECTOR_DIMENSION } from '../activities/services/vector-store';

/** Request and response shapes of /api/v1/collections (pgvector collections); shared by the server and the canvas. */

export const collectionParams = z.object({ collectionId: z.uuid() }).strict();

export const createCollectionBody = z
  .object({
    name: collectionNameSchema,
    dimension: z.number().int().min(1).max(MAX_VECTOR_DIMENSION).default(384).describe('length of every vector it holds (the local embedder: 384)'),
    metric: z.enum(DISTANCE_METRICS).default('cosine'),
  })
  .strict();
export type CreateCollectionBody = z.infer<typeof createCollectionBody>;

export const collectionDto = z.object({
  id: z.uuid(),
  name: z.string(),
  dimension: z.number(),
  metric: z.enum(DISTANCE_METRICS),
  count: z.number().describe('chunks stored'),
  sizeBytes: z.number().describe('bytes of its chunks and its HNSW index'),
  createdAt: z.iso.datetime(),
});
export type CollectionDto = z.infer<typeof collectionDto>;

/** pgvector stores single-precision floats: a larger magnitude would fail in the database instead of answering 400. */
const FLOAT32_MAX = 3.4028234663852886e38;
const vectorElement = z.number().min(-FLOAT32_MAX).max(FLOAT32_MAX);

export const searchCollectionBody = z
  .object({
    query: z.string().min(1).max(10_000).optional().describe('text, embedded with `embedder`'),
    vector: z.array(vectorElement).min(1).max(MAX_VECTOR_DIMENSION).optional().describe('a query vector of the collection\'s dimension, instead of `query`'),
    embedder: embedderSpecSchema.default({ provider: 'local' }).describe('how `query` is embedded: as the collection\'s documents were'),
    k: z.number().int().min(1).max(100).default(4),
    scoreThreshold: z.number().optional(),
    filter: z.record(z.string(), z.unknown()).optional().describe('metadata the chunks must contain'),
  })
  .strict()
  .refine((body) => (body.query === undefined) !== (body.vector === undefined), { message: 'give exactly one of query and vector', path: ['query'] });
export type SearchCollectionBody = z.infer<typeof searchCollectionBody>;

export const collectionMatchDto = z.object({ id: z.uuid(), text: z.string(), metadata: z.record(z.string(), z.unknown()), score: z.number() });
export const searchCollectionResponse = z.object({ matches: z.array(collectionMatchDto) });
export type SearchCollectionResponse = z.infer<typeof searchCollectionResponse>;
