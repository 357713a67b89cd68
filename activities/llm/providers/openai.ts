import { ChatOpenAI, OpenAIEmbeddings } from '@langchain/openai';
import type { ChatProvider, EmbeddingProvider } from './model-provider';

/**
 * OpenAI and every server speaking its API (vLLM, LM Studio, LiteLLM, Ollama's /v1, Mistral, …) through the
 * credential's base URL, or the provider's own when it has none.
 */

export const OPENAI_BASE_URL = 'https://api.openai.com/v1';

interface OpenAiCompatibleOptions {
  /** Given explicitly, so OPENAI_BASE_URL in the worker's environment cannot redirect a tenant's calls. */
  defaultBaseUrl: string;
  /** Asks for usage in the stream with OpenAI's `stream_options`; servers that send it unasked may refuse the field. */
  streamUsage: boolean;
}

export function openAiCompatibleChat({ defaultBaseUrl, streamUsage }: OpenAiCompatibleOptions): ChatProvider {
  return {
    chatModel: (credential, options) =>
      new ChatOpenAI({
        model: options.model,
        temperature: options.temperature,
        maxTokens: options.maxTokens,
        apiKey: credential.data.apiKey,
        maxRetries: 0,
        streamUsage,
        configuration: { baseURL: credential.data.baseUrl ?? defaultBaseUrl, fetch: options.fetch },
      }),
    jsonObjectOptions: (schema) => ({ response_format: { type: 'json_schema', json_schema: { name: 'output', schema } } }),
  };
}

export function openAiCompatibleEmbeddings(defaultModel: string, defaultBaseUrl: string): EmbeddingProvider {
  return {
    defaultModel,
    embeddings: (credential, options) =>
      new OpenAIEmbeddings({
        model: options.model,
        dimensions: options.dimensions,
        apiKey: credential.data.apiKey,
        maxRetries: 0,
        configuration: { baseURL: credential.data.baseUrl ?? defaultBaseUrl, fetch: options.fetch },
      }),
  };
}

export const openAiChat = openAiCompatibleChat({ defaultBaseUrl: OPENAI_BASE_URL, streamUsage: true });
export const openAiEmbeddings = openAiCompatibleEmbeddings('text-embedding-3-small', OPENAI_BASE_URL);
