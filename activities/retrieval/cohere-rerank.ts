import { ApplicationFailure } from '@temporalio/activity';
import type { ResolvedCredential } from '../credential-kinds';
import { providerFailure } from '../llm/provider-client';

export const COHERE_BASE_URL = 'https://api.cohere.com';

interface CohereRerankAnswer {
  results: { index: number; relevance_score: number }[];
}

/** Cohere's rerank API (v2): the passages' indexes, best first, with their relevance scores. */
export async function cohereRerank(options: {
  credential: ResolvedCredential;
  baseUrl: string;
  model: string;
  query: string;
  passages: string[];
  topN: number;
  fetch: typeof fetch;
  signal: AbortSignal;
}): Promise<{ index: number; score: number }[]> {
  let response: Response;
  try {
    response = await options.fetch(new URL('/v2/rerank', options.baseUrl), {
      method: 'POST',
      headers: { authorization: `Bearer ${options.credential.data.apiKey}`, 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ model: options.model, query: options.query, documents: options.passages, top_n: options.topN }),
      signal: AbortSignal.any([options.signal, AbortSignal.timeout(60_000)]),
    });
  } catch (error) {
    throw providerFailure(error, options.credential);
  }
  if (!response.ok) {
    const message = await response.text().then((text) => text.slice(0, 300), () => response.statusText);
    throw providerFailure({ status: response.status, message, headers: response.headers }, options.credential);
  }
  const answer = (await response.json()) as CohereRerankAnswer;
  if (!Array.isArray(answer.results) || answer.results.some((result) => !(result.index >= 0 && result.index < options.passages.length))) {
    throw ApplicationFailure.create({ message: 'the rerank API answered results that name no passage', type: 'ProviderResponseInvalid', nonRetryable: true });
  }
  return answer.results.map((result) => ({ index: result.index, score: result.relevance_score }));
}
