import { ChatGroq } from '@langchain/groq';
import type { ChatProvider } from './model-provider';

/** Groq's API root; the SDK adds /openai/v1/…. */
export const GROQ_BASE_URL = 'https://api.groq.com';

export const groqChat: ChatProvider = {
  chatModel: (credential, options) =>
    new ChatGroq({
      model: options.model,
      temperature: options.temperature,
      maxTokens: options.maxTokens,
      apiKey: credential.data.apiKey,
      // Given explicitly, so GROQ_BASE_URL in the worker's environment cannot redirect a tenant's calls.
      baseUrl: credential.data.baseUrl ?? GROQ_BASE_URL,
      maxRetries: 0,
      fetch: options.fetch,
    }),
  jsonObjectOptions: () => ({ response_format: { type: 'json_object' } }),
};
