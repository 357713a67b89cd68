import { ApplicationFailure } from '@temporalio/activity';
import { z } from 'zod';
import { durationToMs } from '../../engine/duration';
import { durationSchema } from '../../engine/graph';
import type { ResolvedCredential } from '../credential-kinds';
import { providerFailure } from '../llm/provider-client';
import { DEFAULT_RETRY, defineTaskNode } from '../node-definition';
import { requiredCredentialIdSchema } from '../credential-kinds';

const resultSchema = z.object({ title: z.string(), url: z.string(), content: z.string(), score: z.number().optional() });

const tavilyAnswer = z.object({ answer: z.string().nullish(), results: z.array(resultSchema.loose()) }).loose();

export const webSearchNode = defineTaskNode({
  type: 'web-search',
  version: 1,
  category: 'network',
  label: 'Web Search',
  description:
    'Searches the web with Tavily and outputs the top results (title, URL, content). 429 and 5xx are retried by the ' +
    "node's retry policy; a rejected API key fails at once, naming the credential.",
  config: z
    .object({
      credentialId: requiredCredentialIdSchema('a Tavily credential'),
      query: z.string().max(2000).default('').describe('what to search for (templates allowed); an Agent gives it as a tool argument'),
      maxResults: z.number().int().min(1).max(20).default(5),
      searchDepth: z.enum(['basic', 'advanced']).default('basic'),
      baseUrl: z.url({ protocol: /^https?$/ }).default('https://api.tavily.com').describe('a Tavily-compatible endpoint'),
      timeout: durationSchema.default('30s').describe('per request'),
    })
    .strict(),
  output: z.object({ query: z.string(), answer: z.string().optional(), results: z.array(resultSchema) }),
  inputs: [{ id: 'in', label: 'Input' }],
  outputs: [{ id: 'out', label: 'Results' }],
  credentialKinds: ['tavily'],
  tool: {
    description: 'Searches the web and returns the most relevant pages (title, URL and an extract of each).',
    arguments: z.object({ query: z.string().min(1).max(2000).describe('the search query') }).strict(),
  },
  retry: { ...DEFAULT_RETRY, maximumAttempts: 4, nonRetryableErrorTypes: ['InvalidNodeConfig', 'InvalidCredential', 'ProviderAuthenticationError', 'ProviderRequestError'] },
  timeouts: { startToClose: '1m' },
  async run({ config, credential, toolArguments, fetch, signal, node }) {
    const query = typeof toolArguments?.query === 'string' ? toolArguments.query : config.query;
    if (query.trim() === '') {
      throw ApplicationFailure.create({ message: `${node.label} needs a query (config.query, or the query argument when an Agent calls it)`, type: 'InvalidNodeConfig', nonRetryable: true });
    }
    const tavily = requireTavilyCredential(credential, node.label);
    let response: Response;
    try {
      response = await fetch(new URL('search', withTrailingSlash(config.baseUrl)), {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${tavily.data.apiKey}` },
        body: JSON.stringify({ query, max_results: config.maxResults, search_depth: config.searchDepth }),
        signal: AbortSignal.any([signal, AbortSignal.timeout(durationToMs(config.timeout))]),
      });
    } catch (error) {
      throw providerFailure(error, tavily);
    }
    if (!response.ok) {
      const detail = (await response.text()).slice(0, 500);
      throw providerFailure({ status: response.status, message: `${response.status} ${detail}`.trim(), headers: response.headers }, tavily);
    }
    const parsed = tavilyAnswer.safeParse(await response.json().catch(() => undefined));
    if (!parsed.success) {
      throw ApplicationFailure.create({ message: 'the search service answered with an unexpected body', type: 'ProviderRequestError', nonRetryable: true });
    }
    const results = parsed.data.results.slice(0, config.maxResults).map(({ title, url, content, score }) => ({ title, url, content, score }));
    return parsed.data.answer ? { query, answer: parsed.data.answer, results } : { query, results };
  },
});

function requireTavilyCredential(credential: ResolvedCredential | undefined, nodeLabel: string): ResolvedCredential {
  if (!credential) {
    throw ApplicationFailure.create({ message: `${nodeLabel} needs a Tavily credential (config.credentialId)`, type: 'InvalidCredential', nonRetryable: true });
  }
  return credential;
}

/** `new URL('search', base)` replaces the base's last segment unless it ends with a slash. */
function withTrailingSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}
