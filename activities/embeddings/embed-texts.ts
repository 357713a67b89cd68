import { ApplicationFailure } from '@temporalio/activity';
import type { ResolvedCredential } from '../credential-kinds';
import { providerFailure } from '../llm/provider-client';
import { embeddingProviderFor } from '../llm/providers/registry';
import type { EmbedderSpec } from './embedder-spec';
import { LOCAL_EMBEDDER_DEFAULT_DIMENSIONS, LOCAL_EMBEDDER_MODEL, localEmbedding } from './local-embedder';

export interface EmbeddingResult {
  vectors: number[][];
  model: string;
  dimensions: number;
}

export interface EmbeddingContext {
  /** The credential named by the spec's `credentialId`, already loaded (an activity's `context.credential`). */
  credential?: ResolvedCredential;
  fetch: typeof fetch;
  /** Who is embedding, for error messages. */
  label: string;
}

/** Embeds texts in order; every vector has the same length. */
export async function embedTexts(spec: EmbedderSpec, texts: string[], context: EmbeddingContext): Promise<EmbeddingResult> {
  if (spec.provider === 'local') {
    const dimensions = spec.dimensions ?? LOCAL_EMBEDDER_DEFAULT_DIMENSIONS;
    return { vectors: texts.map((text) => localEmbedding(text, dimensions)), model: LOCAL_EMBEDDER_MODEL, dimensions };
  }
  const { credential, provider } = embeddingProviderFor(context.credential, context.label);
  const model = spec.model ?? provider.defaultModel;
  const client = provider.embeddings(credential, { model, dimensions: spec.dimensions, fetch: context.fetch });
  let vectors: number[][];
  try {
    vectors = texts.length === 0 ? [] : await client.embedDocuments(texts);
  } catch (error) {
    throw providerFailure(error, credential);
  }
  const dimensions = vectors[0]?.length ?? spec.dimensions ?? 0;
  if (vectors.length !== texts.length || vectors.some((vector) => vector.length !== dimensions) || (texts.length > 0 && dimensions === 0)) {
    const sizes = [...new Set(vectors.map((vector) => vector.length))].join(', ') || 'none';
    throw ApplicationFailure.create({
      message: `${context.label}: the provider answered ${vectors.length} vectors of sizes ${sizes} for ${texts.length} texts`,
      type: 'ProviderResponseInvalid',
      nonRetryable: true,
    });
  }
  return { vectors, model, dimensions };
}
