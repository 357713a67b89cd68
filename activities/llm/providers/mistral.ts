import { openAiCompatibleChat, openAiCompatibleEmbeddings } from './openai';

/**
 * Mistral's API (/v1/chat/completions, /v1/embeddings) is OpenAI's shape, spoken here by @langchain/openai: Mistral's
 * own SDK, under @langchain/mistralai, is published as ES modules only, which this project's CommonJS test runner
 * (Jest on Node 20) cannot load. Mistral sends usage in the stream's last chunk unasked.
 */
export const MISTRAL_BASE_URL = 'https://api.mistral.ai/v1';

export const mistralChat = openAiCompatibleChat({ defaultBaseUrl: MISTRAL_BASE_URL, streamUsage: false });
export const mistralEmbeddings = openAiCompatibleEmbeddings('mistral-embed', MISTRAL_BASE_URL);
