import type { CallbackManagerForLLMRun } from '@langchain/core/callbacks/manager';
import type { BaseMessage } from '@langchain/core/messages';
import type { ChatGenerationChunk } from '@langchain/core/outputs';
import { ChatAnthropic } from '@langchain/anthropic';
import type { ChatProvider } from './model-provider';

/** Anthropic's Messages API. The base URL is the API's root, without /v1 (the SDK adds it). */
export const ANTHROPIC_BASE_URL = 'https://api.anthropic.com';

/** Anthropic requires max_tokens on every call; this is what is asked for when the node sets none. */
const DEFAULT_MAX_TOKENS = 4096;

/**
 * A stream's output tokens counted once. Anthropic's message_delta carries the cumulative count, which already
 * includes the few tokens message_start reported; LangChain adds the two, so message_start's are dropped here.
 */
class ChatAnthropicCountingOnce extends ChatAnthropic {
  override async *_streamResponseChunks(messages: BaseMessage[], options: this['ParsedCallOptions'], runManager?: CallbackManagerForLLMRun): AsyncGenerator<ChatGenerationChunk> {
    for await (const chunk of super._streamResponseChunks(messages, options, runManager)) {
      const message = chunk.message as { usage_metadata?: { input_tokens: number; output_tokens: number; total_tokens: number } };
      // Only message_start reports input tokens.
      if (message.usage_metadata && message.usage_metadata.input_tokens > 0) {
        message.usage_metadata = { ...message.usage_metadata, output_tokens: 0, total_tokens: message.usage_metadata.input_tokens };
      }
      yield chunk;
    }
  }
}

export const anthropicChat: ChatProvider = {
  chatModel: (credential, options) =>
    new ChatAnthropicCountingOnce({
      model: options.model,
      temperature: options.temperature,
      maxTokens: options.maxTokens ?? DEFAULT_MAX_TOKENS,
      apiKey: credential.data.apiKey,
      // Given explicitly, so ANTHROPIC_BASE_URL in the worker's environment cannot redirect a tenant's calls.
      anthropicApiUrl: credential.data.baseUrl ?? ANTHROPIC_BASE_URL,
      maxRetries: 0,
      clientOptions: { fetch: options.fetch },
    }),
};
