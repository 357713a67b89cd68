import type { ChatReply, ChatRequest } from '../../test/openai-compatible-server';
import { startOpenAiCompatibleServer, type OpenAiCompatibleServer } from '../../test/openai-compatible-server';
import { requireEmbeddedDatabaseForPgvector } from '../../test/pgvector-database';
import { signedInCanvas } from './canvas-harness';

// The Retriever searches a pgvector collection: the embedded database has the extension.
requireEmbeddedDatabaseForPgvector();

const FIRST_QUESTION = 'What is the espresso machine called?';
const FIRST_ANSWER = 'The espresso machine behind the counter is called Bertha, after the founder’s grandmother, and she still pulls every shot we serve today. [1]';
const SECOND_QUESTION = 'Where was it built?';
const SECOND_ANSWER = 'Bertha was built in Milan in 1962. [2]';

/**
 * The provider's side: the first question is answered from the sources in the prompt; the second ("it") only
 * makes sense with the first exchange in the conversation, which is what the session's memory supplies.
 */
function answer(request: ChatRequest): ChatReply {
  const asked = request.messages.at(-1)?.content ?? '';
  if (asked.includes(FIRST_QUESTION)) return { content: FIRST_ANSWER };
  const remembers = request.messages.some((message) => message.role === 'assistant' && message.content?.includes('Bertha'));
  return { content: remembers ? SECOND_ANSWER : 'Which machine do you mean?' };
}

const node = (id: string, type: string, config: Record<string, unknown>, x: number) => ({ id, type, version: 1, data: { config }, position: { x, y: 0 } });
const edge = (source: string, target: string) => ({ id: `${source}-${target}`, source, target });
const chain = (...ids: string[]) => ids.slice(1).map((id, index) => edge(ids[index], id));

const DOCUMENTS = [
  { id: 'counter', text: 'The espresso machine behind the counter is called Bertha.', metadata: { source: 'counter.txt' } },
  { id: 'history', text: 'Bertha was built in Milan in 1962 and came to the harbour in 1987.', metadata: { source: 'history.txt' } },
  { id: 'hours', text: 'The café is open from eight to six, every day except Tuesday.', metadata: { source: 'hours.txt' } },
];

describe('canvas: the chat panel', () => {
  const session = signedInCanvas();
  let provider: OpenAiCompatibleServer;
  beforeAll(async () => {
    // Tokens spaced out, so the answer is seen growing before it is complete.
    provider = await startOpenAiCompatibleServer({ respond: answer, streamChunkDelayMs: 100 });
  });
  afterAll(() => provider?.close());

  async function publish(name: string, graph: unknown): Promise<string> {
    const { api } = session.harness;
    const created = await api.request<{ id: string }>('POST', '/api/v1/workflows', { token: session.token, body: { name, graph } });
    expect(created.status).toBe(201);
    expect((await api.request('POST', `/api/v1/workflows/${created.body.id}/versions`, { token: session.token, body: {} })).status).toBe(201);
    return created.body.id;
  }

  it('answers two questions on a RAG workflow: streamed text, cited sources, run links, and memory of the first', async () => {
    const { api, page } = session.harness;
    const ingest = await publish('Fill the café collection', {
      nodes: [node('start', 'start', {}, 0), node('embed', 'embeddings', { provider: 'local' }, 240), node('store', 'vector-store-upsert', { collection: 'cafe', metric: 'cosine' }, 480), node('end', 'end', {}, 720)],
      edges: chain('start', 'embed', 'store', 'end'),
    });
    const filled = await api.request<{ status: string; error: unknown }>('POST', `/api/v1/workflows/${ingest}/runs`, { token: session.token, body: { inputs: { documents: DOCUMENTS }, wait: 60 } });
    expect({ status: filled.body.status, error: filled.body.error }).toEqual({ status: 'succeeded', error: null });

    const credential = await api.request<{ id: string }>('POST', '/api/v1/credentials', {
      token: session.token,
      body: { name: 'Local model', kind: 'openai', data: { apiKey: provider.apiKey, baseUrl: provider.baseUrl } },
    });
    const chat = await publish('Café assistant', {
      nodes: [
        node('chat', 'chat-trigger', {}, 0),
        node('retriever', 'retriever', { collection: 'cafe', query: '{{ input.message }}', k: 2, provider: 'local' }, 240),
        node('llm', 'llm-chat', {
          credentialId: credential.body.id,
          model: 'local-model',
          prompt: 'Sources:\n{{ nodes.retriever.output.documents }}\n\nQuestion: {{ input.message }}',
          memory: { kind: 'buffer', sessionId: '{{ input.sessionId }}' },
        }, 480),
        // The End node passes the Retriever's documents on beside the text: they become the answer's citations.
        node('end', 'end', { value: { text: '{{ nodes.llm.output.text }}', documents: '{{ nodes.retriever.output.documents }}' } }, 720),
      ],
      edges: chain('chat', 'retriever', 'llm', 'end'),
    });

    await page.goto(`${api.url}/workflows/${chat}`);
    await page.getByTestId('chat-tab').click();
    await page.getByTestId('chat-published').waitFor();
    expect(await page.getByTestId('chat-published').isChecked()).toBe(true);
    expect(await page.getByTestId('chat-transcript').getAttribute('aria-live')).toBe('polite');

    const turns = page.getByTestId('chat-turn');
    await page.getByTestId('chat-input').fill(FIRST_QUESTION);
    await page.getByTestId('chat-send').click();
    // Part of the answer is on screen while the run is still answering.
    await turns.first().and(page.locator('[data-status="running"]')).getByTestId('chat-answer').filter({ hasText: 'The espresso' }).waitFor({ timeout: 60_000 });
    const first = turns.first().and(page.locator('[data-status="answered"]'));
    await first.waitFor({ timeout: 60_000 });
    expect(await first.getByTestId('chat-answer').textContent()).toBe(FIRST_ANSWER);
    expect(Number(await first.getAttribute('data-streamed-tokens'))).toBeGreaterThan(1);
    const sources = first.getByTestId('chat-citations');
    expect(await sources.textContent()).toContain('counter.txt');
    expect(await sources.textContent()).toContain('The espresso machine behind the counter is called Bertha.');
    const firstRun = await first.getByTestId('chat-run-link').getAttribute('href');
    expect(firstRun).toMatch(/^\/runs\/.+/);

    // Enter sends.
    await page.getByTestId('chat-input').fill(SECOND_QUESTION);
    await page.getByTestId('chat-input').press('Enter');
    const second = turns.nth(1).and(page.locator('[data-status="answered"]'));
    await second.waitFor({ timeout: 60_000 });
    expect(await second.getByTestId('chat-answer').textContent()).toBe(SECOND_ANSWER);
    expect(await second.getByTestId('chat-run-link').getAttribute('href')).not.toBe(firstRun);
    // The second model call carried the first exchange: the chat session's memory.
    const sent = provider.chatRequests().at(-1)?.messages ?? [];
    expect(sent.map((message) => message.role)).toEqual(['user', 'assistant', 'user']);
    expect(sent[0].content).toContain(FIRST_QUESTION);
    expect(sent[1].content).toBe(FIRST_ANSWER);
    expect(sent[2].content).toContain(SECOND_QUESTION);

    await session.harness.screenshot('chat-panel');

    // Another tab and back: the conversation is still there.
    await page.getByTestId('run-tab').click();
    await page.getByTestId('chat-transcript').waitFor({ state: 'hidden' });
    await page.getByTestId('chat-tab').click();
    expect(await turns.count()).toBe(2);

    // A run link leads into the run view.
    await second.getByTestId('chat-run-link').click();
    await page.waitForURL(/\/runs\/.+/);
    expect(session.harness.pageErrors).toEqual([]);
  }, 240_000);

  it('chats with an unpublished draft, as a test run', async () => {
    const { api, page } = session.harness;
    const credential = await api.request<{ id: string }>('POST', '/api/v1/credentials', {
      token: session.token,
      body: { name: 'Draft model', kind: 'openai', data: { apiKey: provider.apiKey, baseUrl: provider.baseUrl } },
    });
    const created = await api.request<{ id: string }>('POST', '/api/v1/workflows', {
      token: session.token,
      body: {
        name: 'Draft assistant',
        graph: {
          nodes: [node('chat', 'chat-trigger', {}, 0), node('llm', 'llm-chat', { credentialId: credential.body.id, model: 'local-model', prompt: '{{ input.message }}' }, 240), node('end', 'end', {}, 480)],
          edges: chain('chat', 'llm', 'end'),
        },
      },
    });

    await page.goto(`${api.url}/workflows/${created.body.id}`);
    await page.getByTestId('chat-tab').click();
    // Nothing is published: the draft answers.
    expect(await page.getByTestId('chat-published').isDisabled()).toBe(true);
    expect(await page.getByTestId('chat-draft').isChecked()).toBe(true);
    await page.getByTestId('chat-input').fill('Is anyone there?');
    await page.getByTestId('chat-send').click();
    const turn = page.getByTestId('chat-turn').and(page.locator('[data-status="answered"]'));
    await turn.waitFor({ timeout: 60_000 });
    expect(await turn.getByTestId('chat-answer').textContent()).toBe('Which machine do you mean?');
    const runId = (await turn.getByTestId('chat-run-link').getAttribute('href'))?.replace('/runs/', '');
    const run = await api.request<{ trigger: string; version: number | null }>('GET', `/api/v1/runs/${runId}`, { token: session.token });
    expect(run.body).toMatchObject({ trigger: 'test', version: null });
    expect(session.harness.pageErrors).toEqual([]);
  }, 240_000);
});
