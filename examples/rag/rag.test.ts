import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createApiHarness, type ApiHarness, type TestAccount } from '../../test/api-harness';
import { startHttpFixture, type HttpFixture } from '../../test/http-fixture';
import { startOpenAiCompatibleServer, type ChatReply, type ChatRequest, type OpenAiCompatibleServer } from '../../test/openai-compatible-server';
import { requireEmbeddedDatabaseForPgvector } from '../../test/pgvector-database';

requireEmbeddedDatabaseForPgvector();

const FACT = 'The espresso machine behind the counter is called Bertha and was built in Milan in 1962.';

/** A small café site: four pages linked from the home page, one of them holding the fact the question asks for. */
const PAGES: Record<string, string> = {
  '/': page('The Lantern Café', '<p>Welcome to the Lantern Café, a small coffee house by the harbour.</p><p><a href="/history">Our history</a> <a href="/menu">Menu</a> <a href="/visit">Visit us</a> <a href="/logo.png">Logo</a> <a href="https://elsewhere.example/">Friends</a></p>'),
  '/history': page('Our history', `<h1>Our history</h1><p>The café opened in 1987 in an old net loft.</p><p>${FACT}</p><p>The founders still roast the beans on Mondays.</p>`),
  '/menu': page('Menu', '<h1>Menu</h1><ul><li>Flat white, made with oat or dairy milk.</li><li>Cardamom buns baked every morning.</li><li>Soup of the day with rye bread.</li></ul>'),
  '/visit': page('Visit us', '<h1>Visit us</h1><p>We are open from eight to six, every day except Tuesday.</p><p>The harbour bus stops right outside the door.</p>'),
};

function page(title: string, body: string): string {
  return `<!doctype html><html><head><title>${title}</title><style>body{color:red}</style></head><body><nav>Home | History | Menu</nav>${body}<script>track("espresso machine")</script><footer>© Lantern Café, all rights reserved</footer></body></html>`;
}

/**
 * The provider's side of Retrieval QA, answering extractively: the context line sharing the most words with the
 * question, cited by the number of the block it came from.
 */
function answerFromContext(request: ChatRequest): ChatReply {
  const prompt = request.messages.find((message) => message.role === 'user')?.content ?? '';
  const question = prompt.slice(prompt.lastIndexOf('Question:'));
  const context = prompt.slice(0, prompt.lastIndexOf('Question:'));
  const wordsOf = (text: string) => new Set(text.toLowerCase().match(/[a-z0-9]+/g) ?? []);
  const asked = wordsOf(question);
  let best = { overlap: 0, line: "I don't know.", n: 0 };
  for (const block of context.split(/\n(?=\[\d+\])/)) {
    const n = Number(/^\[(\d+)\]/.exec(block.trim())?.[1]);
    if (!n) continue;
    for (const line of block.split('\n').slice(1)) {
      const overlap = [...wordsOf(line)].filter((word) => asked.has(word)).length;
      if (overlap > best.overlap) best = { overlap, line: line.trim(), n };
    }
  }
  return { content: best.n ? `${best.line} [${best.n}]` : best.line };
}

let api: ApiHarness;
let owner: TestAccount;
let site: HttpFixture;
let provider: OpenAiCompatibleServer;
beforeAll(async () => {
  [api, site, provider] = await Promise.all([createApiHarness(), startHttpFixture(), startOpenAiCompatibleServer({ respond: answerFromContext })]);
  owner = await api.signUp('rag');
  for (const [route, html] of Object.entries(PAGES)) site.route(route, (_request, response) => void response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html));
  site.route('/logo.png', (_request, response) => void response.writeHead(200, { 'content-type': 'image/png' }).end(Buffer.alloc(64)));
}, 120_000);
afterAll(async () => {
  await Promise.all([api?.close(), site?.close(), provider?.close()]);
});

async function publish(name: string, file: string): Promise<string> {
  const graph = JSON.parse(readFileSync(path.join(__dirname, file), 'utf8'));
  const created = await api.request('POST', '/api/v1/workflows', { token: owner.token, body: { name, graph } });
  expect(created.status).toBe(201);
  expect((await api.request('POST', `/api/v1/workflows/${created.body.id}/versions`, { token: owner.token })).status).toBe(201);
  return created.body.id;
}

async function run(workflowId: string, inputs: Record<string, unknown>) {
  const started = await api.request('POST', `/api/v1/workflows/${workflowId}/runs`, { token: owner.token, body: { inputs, wait: 60 } });
  expect({ status: started.status, runStatus: started.body.status, error: started.body.error }).toEqual({ status: 200, runStatus: 'succeeded', error: null });
  return { id: started.body.id as string, result: started.body.result.output };
}

test('examples/rag: scrape → split → embed → store, then retrieve → rerank → answer cites the chunk holding the fact', async () => {
  const credential = await api.request('POST', '/api/v1/credentials', {
    token: owner.token,
    body: { name: 'Local provider', kind: 'openai', data: { apiKey: provider.apiKey, baseUrl: provider.baseUrl } },
  });
  expect(credential.status).toBe(201);
  const [ingest, ask] = await Promise.all([publish('RAG ingest', 'ingest.json'), publish('RAG ask', 'ask.json')]);

  const ingested = await run(ingest, { url: `${site.url}/`, collection: 'cafe' });
  expect(ingested.result).toMatchObject({ pages: 4, added: expect.any(Number), skipped: 0 });
  expect(ingested.result.chunks).toBeGreaterThanOrEqual(4);
  expect(site.hits('/logo.png')).toBe(1);
  const scrape = (await api.request('GET', `/api/v1/runs/${ingested.id}`, { token: owner.token })).body.nodes.find((node: { id: string }) => node.id === 'scrape');
  expect(scrape.output.skipped).toEqual([{ url: `${site.url}/logo.png`, reason: expect.stringMatching(/image\/png/) }]);
  // Documents and vectors travel as references: the page text never enters the run's Temporal history.
  const history = await api.temporal.client.workflow.getHandle(ingested.id).fetchHistory();
  const historyText = JSON.stringify(history, (key, value: unknown) => (key === 'data' && typeof value === 'string' ? Buffer.from(value, 'base64').toString('utf8') : value));
  expect(historyText).toContain('$kaiRef');
  expect(historyText).not.toContain(FACT);
  expect(historyText).not.toContain('"embedding"');

  const again = await run(ingest, { url: `${site.url}/`, collection: 'cafe' });
  expect(again.result).toMatchObject({ added: 0, skipped: ingested.result.chunks });

  const asked = await run(ask, { collection: 'cafe', question: 'What is the espresso machine called?', credentialId: credential.body.id, model: 'local-extractive' });
  const { answer, citations } = asked.result as { answer: string; citations: { n: number; id: string; source: string; text: string }[] };
  expect(answer).toContain('Bertha');
  expect(citations).toHaveLength(1);
  expect(citations[0]).toMatchObject({ n: Number(/\[(\d+)\]/.exec(answer)?.[1]), source: `${site.url}/history` });
  expect(citations[0].text).toContain(FACT);
  expect(citations[0].text).not.toMatch(/rights reserved|track\(/);

  const prompt = provider.chatRequests().at(-1)!.messages.find((message) => message.role === 'user')!.content!;
  expect(prompt).toContain(`[${citations[0].n}] (source: ${site.url}/history)\n${citations[0].text}`);
}, 180_000);
