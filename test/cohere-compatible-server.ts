import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readJson } from './fake-provider-server';
import { sendJson } from './http-fixture';
import { hashVector } from './openai-compatible-server';

/**
 * A local server speaking Cohere's rerank API (POST /v2/rerank) that the Reranker node calls over HTTP through its
 * base URL, and its embed API (POST /v2/embed, float vectors from the text's hash) that the Embeddings node calls.
 * Relevance is the share of the query's words a document contains, so tests can predict the order.
 */

export interface EmbedRequest {
  model: string;
  texts: string[];
  input_type: string;
  embedding_types: string[];
  output_dimension?: number;
}

const EMBEDDING_DIMENSIONS = 8;

export interface RerankRequest {
  model: string;
  query: string;
  documents: string[];
  top_n?: number;
}

export interface CohereCompatibleServer {
  baseUrl: string;
  apiKey: string;
  requests: { path: string; authorization?: string; body: RerankRequest | EmbedRequest }[];
  /** Statuses answered, in order, by the next requests before any ranking. */
  enqueueFault(...statuses: number[]): void;
  close(): Promise<void>;
}

export async function startCohereCompatibleServer(options: { apiKey?: string } = {}): Promise<CohereCompatibleServer> {
  const apiKey = options.apiKey ?? 'co-test-local';
  const requests: CohereCompatibleServer['requests'] = [];
  const faults: number[] = [];
  const server = createServer((req, res) => {
    void (async () => {
      const raw = await readJson(req);
      requests.push({ path: req.url ?? '', authorization: req.headers.authorization, body: raw as unknown as RerankRequest });
      if (req.method !== 'POST' || (req.url !== '/v2/rerank' && req.url !== '/v2/embed')) return sendJson(res, 404, { message: `no route ${req.method} ${req.url}` });
      if (req.headers.authorization !== `Bearer ${apiKey}`) return sendJson(res, 401, { message: 'invalid api token' });
      const fault = faults.shift();
      if (fault) return sendJson(res, fault, { message: `status ${fault}` });
      if (req.url === '/v2/embed') {
        const { texts, output_dimension: dimensions } = raw as unknown as EmbedRequest;
        const float = texts.map((text) => hashVector(text, dimensions ?? EMBEDDING_DIMENSIONS));
        return sendJson(res, 200, { id: `embed-${requests.length}`, embeddings: { float }, texts, meta: { billed_units: { input_tokens: texts.length } } });
      }
      const body = raw as unknown as RerankRequest;
      const queryWords = new Set(wordsOf(body.query));
      const results = body.documents
        .map((document, index) => {
          const words = wordsOf(document);
          return { index, relevance_score: words.length === 0 ? 0 : words.filter((word) => queryWords.has(word)).length / queryWords.size };
        })
        .sort((a, b) => b.relevance_score - a.relevance_score || a.index - b.index)
        .slice(0, body.top_n ?? body.documents.length);
      return sendJson(res, 200, { id: `rerank-${requests.length}`, results, meta: { billed_units: { search_units: 1 } } });
    })().catch((error: unknown) => sendJson(res, 500, { message: String(error) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    apiKey,
    requests,
    enqueueFault: (...statuses) => void faults.push(...statuses),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function wordsOf(text: string): string[] {
  return text.toLowerCase().match(/[a-z0-9]+/g) ?? [];
}
