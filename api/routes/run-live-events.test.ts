import type { GraphInput } from '../../engine/graph';
import { createApiHarness, type ApiHarness, type TestAccount } from '../../test/api-harness';
import { graphEdge as edge, graphNode as node } from '../../test/graph-builders';
import { startOpenAiCompatibleServer, type OpenAiCompatibleServer } from '../../test/openai-compatible-server';
import { createPublishedWorkflow } from '../../test/published-workflow';
import { parseSseEvents, tokensIn, type SseEvent } from '../../test/sse-events';
import { quietRuntime } from '../../test/temporal-harness';
import type { LiveEventDto, RunDetailDto, RunRecordDto } from '../../contract/runs';

const SECRET = 'sk-live-SECRET-31337';
const REVOKED_SECRET = 'sk-revoked-SECRET-8080';

let api: ApiHarness;
let provider: OpenAiCompatibleServer;
let owner: TestAccount;
let credentialId: string;
let revokedCredentialId: string;

beforeAll(async () => {
  quietRuntime('ERROR');
  // Chunks spaced out, so tokens reach the stream while the node is still running.
  [api, provider] = await Promise.all([createApiHarness(), startOpenAiCompatibleServer({ apiKey: SECRET, streamChunkDelayMs: 40 })]);
  owner = await api.signUp('live');
  const credential = async (body: unknown) => (await api.request<{ id: string }>('POST', '/api/v1/credentials', { token: owner.token, body })).body.id;
  credentialId = await credential({ name: 'Team model', kind: 'openai', data: { apiKey: SECRET, baseUrl: provider.baseUrl } });
  revokedCredentialId = await credential({ name: 'Revoked model key', kind: 'openai', data: { apiKey: REVOKED_SECRET, baseUrl: provider.baseUrl } });
});
afterAll(async () => {
  await Promise.all([api?.close(), provider?.close()]);
});

function chatWorkflow(credential: string): Promise<string> {
  const graph: GraphInput = {
    nodes: [
      node('start', 'start'),
      node('llm', 'llm-chat', { credentialId: credential, model: 'local-model', prompt: '{{ input.question }}' }, { retry: { maximumAttempts: 3, initialInterval: '100ms' } }),
      node('end', 'end'),
    ],
    edges: [edge('start', 'llm'), edge('llm', 'end')],
  };
  return createPublishedWorkflow(api.database.orm, owner, graph);
}

/** Reads a run's SSE stream over real HTTP until the server ends it. */
async function readStream(runId: string, lastEventId?: string): Promise<SseEvent[]> {
  const headers: Record<string, string> = { authorization: `Bearer ${owner.token}`, accept: 'text/event-stream' };
  if (lastEventId) headers['last-event-id'] = lastEventId;
  const response = await fetch(`${api.url}/api/v1/runs/${runId}/events`, { headers });
  expect(response.status).toBe(200);
  return parseSseEvents(await response.text());
}

const tokensOf = (events: SseEvent[]) => tokensIn(events);

test('an LLM Chat run streams its tokens as node.live events on the run’s SSE stream, resumable by event id', async () => {
  const answer = 'Durable execution resumes a workflow exactly where it stopped, even after a crash.';
  provider.enqueueChat({ content: answer });
  const workflowId = await chatWorkflow(credentialId);
  const started = await api.request<{ id: string }>('POST', `/api/v1/workflows/${workflowId}/runs`, { token: owner.token, body: { inputs: { question: 'What is durable execution?' } } });
  expect(started.status).toBe(202);
  const events = await readStream(started.body.id);

  expect(events.at(-1)?.event).toBe('run.succeeded');
  expect(tokensOf(events).join('')).toBe(answer);
  const live = events.filter((e) => e.event === 'node.live');
  expect(live.every((e) => /^\d+_\d+$/.test(e.id) && e.data.nodeId === 'llm' && e.data.attempt === 1)).toBe(true);
  // Tokens arrive before the node's completion is journaled, and every later journal id carries the live cursor.
  const succeeded = events.findIndex((e) => e.event === 'node.succeeded' && e.data.nodeId === 'llm');
  expect(events.findIndex((e) => e.event === 'node.live')).toBeLessThan(succeeded);
  expect(events[succeeded].id).toMatch(new RegExp(`^\\d+_${live.at(-1)?.data.id}$`));

  const run = await api.request<RunDetailDto>('GET', `/api/v1/runs/${started.body.id}`, { token: owner.token });
  expect((run.body.result?.output as { text: string }).text).toBe(answer);

  // Resuming after the fourth token sends the rest once, and no journal event seen before it.
  const resumed = await readStream(started.body.id, live[3].id);
  expect(tokensOf(resumed)).toEqual(tokensOf(events).slice(4));
  const seqOf = (id: string) => Number(id.split(/[_.]/)[0]);
  expect(resumed.filter((e) => e.event !== 'node.live').every((e) => seqOf(e.id) > seqOf(live[3].id))).toBe(true);
  // An id from before this change (journal seq only) still resumes the journal; live events then start over.
  expect(tokensOf(await readStream(started.body.id, String(seqOf(live[3].id))))).toEqual(tokensOf(events));

  const page = await api.request<{ items: LiveEventDto[]; nextAfter: number | null }>('GET', `/api/v1/runs/${started.body.id}/nodes/llm/live-events?limit=5`, { token: owner.token });
  expect(page.status).toBe(200);
  expect(page.body.items.map((e) => (e.data as { text: string }).text)).toEqual(tokensOf(events).slice(0, 5));
  const rest = await api.request<{ items: LiveEventDto[]; nextAfter: number | null }>('GET', `/api/v1/runs/${started.body.id}/nodes/llm/live-events?after=${page.body.nextAfter}`, { token: owner.token });
  expect(rest.body.items.map((e) => (e.data as { text: string }).text)).toEqual(tokensOf(events).slice(5));
  expect(rest.body.nextAfter).toBeNull();
  expect((await api.request('GET', `/api/v1/runs/${started.body.id}/nodes/llm/live-events?after=-1`, { token: owner.token })).status).toBe(400);
});

test('a rejected credential fails the run at once, naming the credential; its secret is in neither the answer nor the logs', async () => {
  const workflowId = await chatWorkflow(revokedCredentialId);
  const before = provider.chatRequests().length;
  const finished = await api.request<RunRecordDto>('POST', `/api/v1/workflows/${workflowId}/runs`, { token: owner.token, body: { inputs: { question: 'Hi?' }, wait: 30 } });
  expect(finished.status).toBe(200);
  expect(finished.body.status).toBe('failed');
  const detail = await api.request<RunDetailDto>('GET', `/api/v1/runs/${finished.body.id}`, { token: owner.token });
  const llm = detail.body.nodes?.find((n) => n.id === 'llm');
  expect(llm).toMatchObject({ status: 'failed', attempts: 1, error: { type: 'ProviderAuthenticationError' } });
  expect(llm?.error?.message).toMatch(/credential "Revoked model key"/);
  expect(provider.chatRequests().length - before).toBe(1);
  for (const text of [finished.text, detail.text, api.logs.join('\n')]) {
    expect(text).not.toContain(REVOKED_SECRET);
    expect(text).not.toContain(SECRET);
  }
});

test('a replay of a finished run equals its live stream: a retried LLM node’s retry (with its error), reset and tokens sit between its start and success', async () => {
  const answer = 'The second attempt answers in full.';
  provider.enqueueFault('chat', { status: 503, message: 'overloaded' });
  provider.enqueueChat({ content: answer });
  const workflowId = await chatWorkflow(credentialId);
  const started = await api.request<{ id: string }>('POST', `/api/v1/workflows/${workflowId}/runs`, { token: owner.token, body: { inputs: { question: 'Again?' } } });
  const live = await readStream(started.body.id);

  const names = live.map((e) => (e.event === 'node.live' ? String(e.data.type) : `${e.event}${e.data.nodeId === 'llm' ? ':llm' : ''}`));
  const llmSpan = names.slice(names.indexOf('node.started:llm'), names.indexOf('node.succeeded:llm') + 1);
  // Each attempt of a retried node also records how it ended (node.attempt), the failed one right after its retry.
  expect(llmSpan).toEqual(['node.started:llm', 'node.retrying:llm', 'node.attempt', 'llm.reset', ...tokensOf(live).map(() => 'llm.token'), 'node.attempt', 'node.succeeded:llm']);
  expect(live.find((e) => e.event === 'node.retrying')?.data).toMatchObject({ nodeId: 'llm', attempt: 2, lastFailure: { message: expect.stringMatching(/503|overloaded/) } });
  expect(tokensOf(live).join('')).toBe(answer);
  expect(await readStream(started.body.id)).toEqual(live);
});

test('an Agent streams its model’s tokens like LLM Chat, each tagged with its model call, before that call’s agent.model event', async () => {
  const answer = 'Agents stream their answers token by token now.';
  provider.enqueueChat({ content: answer });
  const graph: GraphInput = {
    nodes: [node('start', 'start'), node('agent', 'agent', { credentialId, model: 'local-model', prompt: '{{ input.question }}' }), node('end', 'end')],
    edges: [edge('start', 'agent', undefined, 'in'), edge('agent', 'end')],
  };
  const workflowId = await createPublishedWorkflow(api.database.orm, owner, graph);
  const started = await api.request<{ id: string }>('POST', `/api/v1/workflows/${workflowId}/runs`, { token: owner.token, body: { inputs: { question: 'Do agents stream?' } } });
  expect(started.status).toBe(202);
  const events = await readStream(started.body.id);

  expect(tokensIn(events, 'agent').join('')).toBe(answer);
  const tokens = events.filter((e) => e.event === 'node.live' && e.data.type === 'llm.token');
  expect(tokens.every((e) => (e.data.data as { iteration: number }).iteration === 1)).toBe(true);
  expect(events.findIndex((e) => e.event === 'agent.model')).toBeGreaterThan(events.indexOf(tokens.at(-1) as SseEvent));
  expect(events.at(-1)?.event).toBe('run.succeeded');
  const run = await api.request<RunDetailDto>('GET', `/api/v1/runs/${started.body.id}`, { token: owner.token });
  expect((run.body.result?.output as { answer: string }).answer).toBe(answer);
});
