import { z } from 'zod';
import { MAX_VECTOR_DIMENSION } from '../services/vector-store';

/**
 * Which embedder turns text into vectors: the same fields in the Embeddings node, the Retriever (which must embed
 * its query the way the collection's documents were embedded) and the collections API. Pure zod, so the API
 * contract shares it.
 */
export const embedderFields = {
  provider: z.enum(['local', 'openai']).default('local').describe('local: lexical feature hashing, no key, no network; openai: an OpenAI-compatible API'),
  model: z.string().min(1).max(200).optional().describe('the OpenAI-compatible model (default text-embedding-3-small); ignored by the local embedder'),
  dimensions: z.number().int().min(8).max(MAX_VECTOR_DIMENSION).optional().describe("vector size (local default 384; OpenAI: the model's own unless set)"),
  credentialId: z.string().max(64).optional().describe('an OpenAI-compatible credential (provider openai)'),
};

export const embedderSpecSchema = z.object(embedderFields).strict();
export type EmbedderSpec = z.output<typeof embedderSpecSchema>;
