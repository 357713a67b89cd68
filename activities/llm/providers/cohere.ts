import { Embeddings } from '@langchain/core/embeddings';
import { COHERE_BASE_URL } from '../../retrieval/cohere-rerank';
import type { EmbeddingProvider, EmbeddingsOptions } from './model-provider';

/**
 * Cohere's embed API (v2), over the node's guarded fetch. It is one request, and Cohere's LangChain package
 * (@langchain/cohere) is not among the dependencies, so it is spoken here directly, as the Reranker does.
 */

/** The most texts Cohere embeds in one request. */
const MAX_TEXTS_PER_REQUEST = 96;

type InputType = 'search_document' | 'search_query';

/** A failed request, shaped as providerFailure reads a provider's error: its status, message and headers. */
class CohereApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Headers,
  ) {
    super(message);
  }
}

class CohereEmbeddings extends Embeddings {
  constructor(private readonly settings: EmbeddingsOptions & { apiKey: string; baseUrl: string }) {
    super({ maxRetries: 0 });
  }

  async embedDocuments(texts: string[]): Promise<number[][]> {
    const vectors: number[][] = [];
    for (let start = 0; start < texts.length; start += MAX_TEXTS_PER_REQUEST) vectors.push(...(await this.embed(texts.slice(start, start + MAX_TEXTS_PER_REQUEST), 'search_document')));
    return vectors;
  }

  async embedQuery(text: string): Promise<number[]> {
    return (await this.embed([text], 'search_query'))[0] ?? [];
  }

  private async embed(texts: string[], inputType: InputType): Promise<number[][]> {
    const { apiKey, baseUrl, model, dimensions } = this.settings;
    const response = await this.settings.fetch(new URL('/v2/embed', baseUrl), {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ model, texts, input_type: inputType, embedding_types: ['float'], output_dimension: dimensions }),
    });
    if (!response.ok) {
      const message = await response.text().then((text) => text.slice(0, 300), () => response.statusText);
      throw new CohereApiError(response.status, `${response.status} ${message}`, response.headers);
    }
    const answer = (await response.json()) as { embeddings?: { float?: number[][] } };
    return answer.embeddings?.float ?? [];
  }
}

export const cohereEmbeddings: EmbeddingProvider = {
  defaultModel: 'embed-v4.0',
  embeddings: (credential, options) => new CohereEmbeddings({ ...options, apiKey: credential.data.apiKey, baseUrl: credential.data.baseUrl ?? COHERE_BASE_URL }),
};
