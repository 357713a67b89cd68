import { ChatAnthropic } from '@langchain/anthropic';
import type { ChatProvider } from './model-provider';

/** Anthropic's Messages API. The base URL is the API's root, without /v1 (the SDK adds it). */
export const ANTHROPIC_BASE_URL = 'https://api.anthropic.com';

/** Anthropic requires max_tokens on every call; this is what is asked for when the node sets none. */
const DEFAULT_MAX_TOKENS = 4096;

export const anthropicChat: ChatProvider = {
  chatModel: (credential, options) =>
    new ChatAnthropic({
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
