import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local Tavily-compatible search service (POST /search with a bearer API key) that the Web Search node calls over
 * HTTP through its base URL. It searches a small corpus the test gives it: a page matches when it contains every
 * word of the query.
 */

export interface SearchPage {
  title: string;
  url: string;
  content: string;
}

export interface TavilyFault {
  status: number;
  retryAfter?: number;
}

export interface TavilyCompatibleServer {
  baseUrl: string;
  apiKey: string;
  /** Bodies of the search requests received, in order. */
  queries: { query: string; max_results?: number; search_depth?: string }[];
  /** Answered, in order, by the next requests before any search. */
  enqueueFault(...faults: TavilyFault[]): void;
  close(): Promise<void>;
}

export async function startTavilyCompatibleServer(options: { corpus: SearchPage[]; apiKey?: string }): Promise<TavilyCompatibleServer> {
  const apiKey = options.apiKey ?? 'tvly-test-local';
  const queries: TavilyCompatibleServer['queries'] = [];
  const faults: TavilyFault[] = [];
  const server = createServer((req, res) => {
    void (async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const send = (status: number, body: unknown, headers: Record<string, string> = {}) => res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
      if (req.method !== 'POST' || req.url !== '/search') return send(404, { detail: { error: 'not found' } });
      if (req.headers.authorization !== `Bearer ${apiKey}`) return send(401, { detail: { error: 'Unauthorized: missing or invalid API key.' } });
      const fault = faults.shift();
      if (fault) return send(fault.status, { detail: { error: `status ${fault.status}` } }, fault.retryAfter === undefined ? {} : { 'retry-after': String(fault.retryAfter) });
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as TavilyCompatibleServer['queries'][number];
      queries.push(body);
      const words = body.query.toLowerCase().split(/\W+/).filter(Boolean);
      const results = options.corpus
        .filter((page) => words.every((word) => `${page.title} ${page.content}`.toLowerCase().includes(word)))
        .slice(0, body.max_results ?? 5)
        .map((page, index) => ({ ...page, score: 1 / (index + 1), raw_content: null }));
      return send(200, { query: body.query, answer: null, images: [], results, response_time: 0.01 });
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    apiKey,
    queries,
    enqueueFault: (...added) => void faults.push(...added),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
