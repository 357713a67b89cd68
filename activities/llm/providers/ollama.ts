import { ChatOllama, OllamaEmbeddings } from '@langchain/ollama';
import type { ResolvedCredential } from '../../credential-kinds';
import type { ChatProvider, EmbeddingProvider } from './model-provider';

/** Ollama's native API (/api/chat, /api/embed) at the credential's base URL, with its API key as a bearer token when set. */

function headersOf(credential: ResolvedCredential): Record<string, string> | undefined {
  return credential.data.apiKey ? { authorization: `Bearer ${credential.data.apiKey}` } : undefined;
}

export const ollamaChat: ChatProvider = {
  chatModel: (credential, options) =>
    new ChatOllama({
      model: options.model,
      temperature: options.temperature,
      numPredict: options.maxTokens,
      baseUrl: credential.data.baseUrl,
      headers: headersOf(credential),
      fetch: options.fetch,
      maxRetries: 0,
    }),
  jsonObjectOptions: (schema) => ({ format: schema }),
};

export const ollamaEmbeddings: EmbeddingProvider = {
  defaultModel: 'nomic-embed-text',
  embeddings: (credential, options) =>
    new OllamaEmbeddings({
      model: options.model,
      dimensions: options.dimensions,
      baseUrl: credential.data.baseUrl,
      headers: headersOf(credential),
      fetch: options.fetch,
      maxRetries: 0,
    }),
};
