import { ApplicationFailure } from '@temporalio/activity';
import { z } from 'zod';
import { durationToMs } from '../../engine/duration';
import { durationSchema } from '../../engine/graph';
import { fetchJson, underBase } from '../net/fetch-ok';
import { DEFAULT_RETRY, defineTaskNode } from '../node-definition';

/** Wikimedia asks API clients to say who they are. */
const USER_AGENT = 'KAI-Fusion/1 (workflow node; https://github.com/kai-fusion)';

const searchAnswer = z.object({ query: z.object({ search: z.array(z.object({ title: z.string() }).loose()) }).loose().optional() }).loose();
const extractsAnswer = z
  .object({ query: z.object({ pages: z.array(z.object({ title: z.string(), extract: z.string().optional(), missing: z.boolean().optional() }).loose()) }).loose().optional() })
  .loose();

export const wikipediaNode = defineTaskNode({
  type: 'wikipedia',
  version: 1,
  category: 'network',
  label: 'Wikipedia',
  description:
    'Searches Wikipedia (any MediaWiki site) and outputs the best matching articles with the plain-text introduction ' +
    "of each. 429 and 5xx are retried by the node's retry policy. Can be an Agent's tool.",
  config: z
    .object({
      query: z.string().max(300).default('').describe('what to look up (templates allowed); an Agent gives it as a tool argument'),
      maxResults: z.number().int().min(1).max(10).default(3),
      maxCharacters: z.number().int().min(100).max(20_000).default(2000).describe('each extract is cut to this length'),
      baseUrl: z.url({ protocol: /^https?$/ }).default('https://en.wikipedia.org').describe('the wiki; its API is at /w/api.php'),
      timeout: durationSchema.default('20s').describe('per request'),
    })
    .strict(),
  output: z.object({
    query: z.string(),
    results: z.array(z.object({ title: z.string(), url: z.string(), extract: z.string() })),
  }),
  inputs: [{ id: 'in', label: 'Input' }],
  outputs: [{ id: 'out', label: 'Articles' }],
  tool: {
    description: 'Looks a topic up in Wikipedia and returns the introduction of the best matching articles.',
    arguments: z.object({ query: z.string().min(1).max(300).describe('a topic, name or short question') }).strict(),
  },
  retry: { ...DEFAULT_RETRY, maximumAttempts: 4, nonRetryableErrorTypes: ['InvalidNodeConfig', 'HttpClientError', 'UnexpectedResponse'] },
  timeouts: { startToClose: '1m' },
  async run({ config, toolArguments, fetch, signal, node }) {
    const query = typeof toolArguments?.query === 'string' ? toolArguments.query : config.query;
    if (query.trim() === '') throw ApplicationFailure.create({ message: `${node.label} needs a query (config.query)`, type: 'InvalidNodeConfig', nonRetryable: true });
    const ask = async <T>(params: Record<string, string>, shape: z.ZodType<T>): Promise<T> => {
      const url = underBase(config.baseUrl, 'w/api.php');
      for (const [key, value] of Object.entries({ ...params, format: 'json', formatversion: '2' })) url.searchParams.set(key, value);
      const parsed = shape.safeParse(await fetchJson(url, { fetch, signal, timeoutMs: durationToMs(config.timeout), label: node.label, headers: { 'user-agent': USER_AGENT } }));
      if (parsed.success) return parsed.data;
      throw ApplicationFailure.create({ message: `${node.label}: ${url.origin} did not answer as a MediaWiki API`, type: 'UnexpectedResponse', nonRetryable: true });
    };
    const found = await ask({ action: 'query', list: 'search', srsearch: query, srlimit: String(config.maxResults) }, searchAnswer);
    const titles = (found.query?.search ?? []).map((hit) => hit.title);
    if (titles.length === 0) return { query, results: [] };
    const read = await ask({ action: 'query', prop: 'extracts', exintro: '1', explaintext: '1', redirects: '1', titles: titles.join('|') }, extractsAnswer);
    const extracts = new Map((read.query?.pages ?? []).filter((page) => !page.missing).map((page) => [page.title, page.extract ?? '']));
    // The search's order is the relevance order; the pages come back in any order.
    const results = titles
      .filter((title) => extracts.has(title))
      .map((title) => ({ title, url: underBase(config.baseUrl, `wiki/${encodeURIComponent(title.replaceAll(' ', '_'))}`).href, extract: cut(extracts.get(title) ?? '', config.maxCharacters) }));
    return { query, results };
  },
});

function cut(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
