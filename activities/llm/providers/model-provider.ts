import type { Embeddings } from '@langchain/core/embeddings';
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import type { ResolvedCredential } from '../../credential-kinds';

/**
 * A model provider: how a credential of its kind becomes a LangChain chat model or embeddings client. Each one is
 * built with the SDK's own retries off (Temporal retries the whole attempt under the node's retry policy) and with
 * the node's outbound-guarded fetch, so the provider's base URL is held to the same rules as any other request.
 */

export interface ChatModelOptions {
  model: string;
  temperature?: number;
  maxTokens?: number;
  /** The node's outbound-guarded fetch. */
  fetch: typeof fetch;
}

export interface EmbeddingsOptions {
  model: string;
  /** Honoured where the provider lets a caller choose the vector size; otherwise the model's own. */
  dimensions?: number;
  fetch: typeof fetch;
}

/** Every provider here calls tools: the Agent binds its tools to whichever model the credential gives. */
export type ToolCallingChatModel = BaseChatModel & { bindTools: NonNullable<BaseChatModel['bindTools']> };

export interface ChatProvider {
  /**
   * Use `.stream()` (or `.invoke()` without streaming) on the result: `.invoke()` on a streaming OpenAI model makes
   * LangChain estimate token counts with encodings it downloads from the internet.
   */
  chatModel(credential: ResolvedCredential, options: ChatModelOptions): ToolCallingChatModel;
  /** Call options that make the model answer with a JSON object following `schema`; absent where the provider has no such mode. */
  jsonObjectOptions?(schema: Record<string, unknown>): Record<string, unknown>;
}

export interface EmbeddingProvider {
  defaultModel: string;
  embeddings(credential: ResolvedCredential, options: EmbeddingsOptions): Embeddings;
}
