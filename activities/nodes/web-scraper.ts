import { z } from 'zod';
import { durationToMs } from '../../engine/duration';
import { durationSchema } from '../../engine/graph';
import type { Document } from '../documents/document';
import { documentsOutputSchema, storeDocuments } from '../documents/documents-io';
import { htmlToText, tidy } from '../documents/html-to-text';
import { readCappedBody } from '../documents/read-capped-body';
import { DEFAULT_RETRY, defineTaskNode } from '../node-definition';

const configSchema = z
  .object({
    urls: z.array(z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' })).min(1).max(20).describe('where the crawl starts'),
    maxDepth: z.number().int().min(0).max(5).default(1).describe('links followed from a start page: 0 reads only the start pages'),
    maxPages: z.number().int().min(1).max(200).default(20).describe('pages read at most, over all start URLs'),
    timeout: durationSchema.default('15s').describe('per request'),
    maxBytesPerPage: z.number().int().min(1024).max(20_000_000).default(2_000_000).describe('a longer page is cut at this size (the download stops)'),
  })
  .strict();

const READABLE_TYPES = ['text/html', 'text/plain'];

interface Skipped {
  url: string;
  reason: string;
}

export const webScraperNode = defineTaskNode({
  type: 'web-scraper',
  version: 1,
  category: 'documents',
  label: 'Web Scraper',
  description:
    'Reads web pages into documents: the start URLs, then links on the same site (same origin) breadth-first to a ' +
    'depth and a page cap. HTML becomes clean text (scripts, styles, navigation and footers dropped; the title kept). ' +
    'Only text/html and text/plain are read, each page up to a size cap and within a per-request timeout.',
  config: configSchema,
  output: documentsOutputSchema.extend({
    skipped: z.array(z.object({ url: z.string(), reason: z.string() })).describe('pages not read, and why'),
  }),
  inputs: [{ id: 'in', label: 'Input' }],
  outputs: [{ id: 'out', label: 'Documents' }],
  retry: { ...DEFAULT_RETRY, maximumAttempts: 3 },
  timeouts: { startToClose: '10m', heartbeat: '1m' },
  async run(context) {
    const { config } = context;
    const queue = config.urls.map((url) => ({ url: normalise(url), depth: 0, origin: new URL(url).origin }));
    const seen = new Set(queue.map((item) => item.url));
    const documents: Document[] = [];
    const skipped: Skipped[] = [];
    while (queue.length > 0 && documents.length + skipped.length < config.maxPages) {
      const page = queue.shift()!;
      // A start page that cannot be read fails the node (and is retried); a broken link found on the way is skipped.
      const read = await readPage(page.url, page.origin, config, context).catch((error: unknown) => {
        if (page.depth === 0 || context.signal.aborted) throw error;
        return { url: page.url, reason: describeError(error) };
      });
      if ('reason' in read) {
        skipped.push({ url: page.url, reason: read.reason });
        continue;
      }
      documents.push({ id: page.url, text: read.text, metadata: { source: page.url, title: read.title, truncated: read.truncated || undefined } });
      if (page.depth >= config.maxDepth) continue;
      for (const link of read.links) {
        const url = normalise(link);
        if (new URL(url).origin !== page.origin || seen.has(url)) continue;
        seen.add(url);
        queue.push({ url, depth: page.depth + 1, origin: page.origin });
      }
    }
    return { ...(await storeDocuments(context, documents)), skipped };
  },
});

type ScraperConfig = z.output<typeof configSchema>;

async function readPage(
  url: string,
  origin: string,
  config: ScraperConfig,
  context: { fetch: typeof fetch; signal: AbortSignal },
): Promise<{ text: string; title?: string; links: string[]; truncated: boolean } | Skipped> {
  const fetched = await fetchOnSite(url, origin, config, context);
  if ('reason' in fetched) return fetched;
  const response = fetched;
  if (!response.ok) {
    await response.body?.cancel();
    return { url, reason: `answered ${response.status}` };
  }
  const type = (response.headers.get('content-type') ?? '').split(';')[0].trim().toLowerCase();
  if (!READABLE_TYPES.includes(type)) {
    await response.body?.cancel();
    return { url, reason: `content type ${type || 'unknown'} is not read (only ${READABLE_TYPES.join(', ')})` };
  }
  const { bytes, truncated } = await readCappedBody(response, config.maxBytesPerPage);
  const body = bytes.toString('utf8');
  if (type === 'text/plain') return { text: tidy(body), links: [], truncated };
  return { ...htmlToText(body, response.url || url), truncated };
}

const MAX_REDIRECTS = 5;

/** Follows redirects one by one, and only on the site: a redirect elsewhere is not followed at all. */
async function fetchOnSite(url: string, origin: string, config: ScraperConfig, context: { fetch: typeof fetch; signal: AbortSignal }): Promise<Response | Skipped> {
  const signal = AbortSignal.any([context.signal, AbortSignal.timeout(durationToMs(config.timeout))]);
  let current = url;
  for (let redirects = 0; ; redirects++) {
    const response = await context.fetch(current, { headers: { accept: 'text/html, text/plain;q=0.9' }, redirect: 'manual', signal });
    const location = response.headers.get('location');
    if (response.status < 300 || response.status >= 400 || !location) return response;
    await response.body?.cancel();
    const next = new URL(location, current);
    if (next.origin !== origin) return { url, reason: `redirected off the site to ${next.origin}` };
    if (redirects === MAX_REDIRECTS) return { url, reason: `more than ${MAX_REDIRECTS} redirects` };
    current = next.toString();
  }
}

function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return error.cause instanceof Error ? `${error.message}: ${error.cause.message}` : `${error.name}: ${error.message}`;
}

/** One spelling per page, so `/a` and `/a#top` are read once. */
function normalise(url: string): string {
  const parsed = new URL(url);
  parsed.hash = '';
  return parsed.toString();
}
