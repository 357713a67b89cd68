import { z } from 'zod';
import { optionalCredentialIdSchema } from '../credential-kinds';
import { MAX_VECTOR_DIMENSION } from '../services/vector-store';

/**
 * Which embedder turns text into vectors: the same fields in the Embeddings node, the Retriever (which must embed
 * its query the way the collection's documents were embedded) and the collections API. Pure zod, so the API
 * contract shares it.
 */
export const embedderFields = {
  provider: z
    .enum(['local', 'credential', 'openai'])
    .default('local')
    .describe(
      'local: lexical feature hashing, no key, no network; credential: the API of the credential chosen (OpenAI-compatible, Ollama, Google Gemini, Mistral, Cohere); ' +
        'openai: the same, as graphs saved before the other providers name it',
    ),
  model: z.string().min(1).max(200).optional().describe("the provider's embedding model (default: text-embedding-3-small, nomic-embed-text, text-embedding-004, mistral-embed, embed-v4.0); ignored by the local embedder"),
  dimensions: z.number().int().min(8).max(MAX_VECTOR_DIMENSION).optional().describe("vector size (local default 384; a provider: the model's own unless set, where the provider lets it be chosen)"),
  credentialId: optionalCredentialIdSchema('the embeddings provider’s credential (provider credential)'),
};

export const embedderSpecSchema = z.object(embedderFields).strict();
export type EmbedderSpec = z.output<typeof embedderSpecSchema>;
