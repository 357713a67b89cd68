import { WorkflowFailedError } from '@temporalio/client';
import { DbConversationMemory } from '../../db/conversation-memory';
import { NodeLiveEvent } from '../../db/entities';
import { DbNodeEventSink } from '../../db/node-event-sink';
import { createTestDatabase, type TestDatabase } from '../../db/test-database';
import type { NodeData } from '../../engine/graph';
import { graphEdge as edge, graphNode as node } from '../../test/graph-builders';
import { startOpenAiCompatibleServer, type ChatRequest, type OpenAiCompatibleServer } from '../../test/openai-compatible-server';
import { createTemporalHarness, type TemporalHarness } from '../../test/temporal-harness';
import { runStateQuery } from '../../workflows/messages';
import type { CredentialResolver, ResolvedCredential } from '../credential-kinds';

const SECRET = 'sk-live-SECRET-4242';
const WRONG_SECRET = 'sk-wrong-SECRET-9999';

let db: TestDatabase;
let provider: OpenAiCompatibleServer;
let temporal: TemporalHarness;

beforeAll(async () => {
  [db, provider] = await Promise.all([createTestDatabase(), startOpenAiCompatibleServer({ apiKey: SECRET })]);
  const credentials: Record<string, ResolvedCredential> = {
    good: { id: 'good', name: 'Team OpenAI key', kind: 'openai', data: { apiKey: SECRET, baseUrl: provider.baseUrl } },
    revoked: { id: 'revoked', name: 'Revoked OpenAI key', kind: 'openai', data: { apiKey: WRONG_SECRET, baseUrl: provider.baseUrl } },
  };
  const resolver: CredentialResolver = { resolve: async (_workspace, id) => credentials[id] };
  temporal = await createTemporalHarness({
    credentials: resolver,
    services: { memory: new DbConversationMemory(db.orm.em), events: new DbNodeEventSink(db.orm.em) },
  });
});
afterAll(async () => {
  await temporal?.close();
  await Promise.all([provider?.close(), db?.close()]);
});

function chatGraph(config: Record<string, unknown>, settings: Omit<Partial<NodeData>, 'config'> = {}) {
  return {
    nodes: [node('start', 'start'), node('llm', 'llm-chat', { credentialId: 'good', model: 'test-model', ...config }, settings), node('end', 'end')],
    edges: [edge('start', 'llm'), edge('llm', 'end')],
  };
}

interface ChatOutput {
  text?: string;
  object?: Record<string, unknown>;
  usage: { inputTokens: number; outputTokens: number; totalTokens: number };
  finishReason: string | null;
  model: string;
}

async function chat(config: Record<string, unknown>): Promise<ChatOutput> {
  return (await temporal.run(chatGraph(config))).output as ChatOutput;
}

function lastChatRequest(): ChatRequest {
  const requests = provider.chatRequests();
  return requests[requests.length - 1];
}

test('answers with text, token usage and finish reason, streaming the tokens to the live events', async () => {
  provider.enqueueChat({ content: 'The capital of France is Paris.' });
  const handle = await temporal.start(chatGraph({ systemPrompt: 'Be brief.', prompt: 'Capital of France?', temperature: 0.2, maxTokens: 50 }));
  const output = (await handle.result()).output as ChatOutput;
  expect(output).toEqual({ text: 'The capital of France is Paris.', usage: { inputTokens: 5, outputTokens: 6, totalTokens: 11 }, finishReason: 'stop', model: 'test-model' });
  expect(lastChatRequest()).toMatchObject({
    model: 'test-model',
    stream: true,
    temperature: 0.2,
    max_tokens: 50,
    messages: [
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Capital of France?' },
    ],
  });
  const events = await db.orm.em.fork().find(NodeLiveEvent, { workflowId: handle.workflowId }, { orderBy: { id: 'asc' } });
  expect(events.map((event) => event.type)).toEqual(Array(6).fill('llm.token'));
  expect(events.map((event) => event.seq)).toEqual([1, 2, 3, 4, 5, 6]);
  expect(events.map((event) => (event.data as { text: string }).text).join('')).toBe(output.text);
  expect(events.every((event) => event.nodeId === 'llm' && event.attempt === 1)).toBe(true);
});

test('with an output schema, the answer is a JSON object asked for through response_format', async () => {
  const schema = { type: 'object', properties: { city: { type: 'string' }, population: { type: 'number' } }, required: ['city', 'population'] };
  provider.enqueueChat({ content: '{"city": "Paris", "population": 2102650}' });
  const output = await chat({ prompt: 'Largest city of France, as JSON', outputSchema: schema });
  expect(output.object).toEqual({ city: 'Paris', population: 2102650 });
  expect(output.text).toBeUndefined();
  expect(lastChatRequest().response_format).toEqual({ type: 'json_schema', json_schema: { name: 'output', schema } });
});

describe('memory (acceptance 3)', () => {
  const buffer = (sessionId: string) => ({ kind: 'buffer', sessionId, window: 10 });

  it('lets runs with the same session id see each other’s turns, and keeps other sessions apart', async () => {
    provider.enqueueChat({ content: 'Nice to meet you, Ada.' });
    await chat({ prompt: 'My name is Ada.', memory: buffer('session-a') });
    provider.enqueueChat({ content: 'Your name is Ada.' });
    await chat({ systemPrompt: 'You remember.', prompt: 'What is my name?', memory: buffer('session-a') });
    expect(lastChatRequest().messages).toEqual([
      { role: 'system', content: 'You remember.' },
      { role: 'user', content: 'My name is Ada.' },
      { role: 'assistant', content: 'Nice to meet you, Ada.' },
      { role: 'user', content: 'What is my name?' },
    ]);

    provider.enqueueChat({ content: 'I do not know your name.' });
    await chat({ prompt: 'What is my name?', memory: buffer('session-b') });
    expect(lastChatRequest().messages).toEqual([{ role: 'user', content: 'What is my name?' }]);

    provider.enqueueChat({ content: 'Ada, you asked before.' });
    await chat({ prompt: 'Again?', memory: { ...buffer('session-a'), window: 2 } });
    expect(lastChatRequest().messages.map((m) => m.content)).toEqual(['What is my name?', 'Your name is Ada.', 'Again?']);
  });

  it('summary memory folds the turns that left the window into a stored summary', async () => {
    const summary = (window: number) => ({ kind: 'summary', sessionId: 'session-s', window });
    provider.enqueueChat({ content: 'Hello Grace.' });
    await chat({ prompt: 'I am Grace and I like compilers.', memory: summary(2) });
    provider.enqueueChat({ content: 'Noted: COBOL.' });
    await chat({ prompt: 'My favourite language is COBOL.', memory: summary(2) });
    const before = provider.chatRequests().length;

    provider.enqueueChat({ content: 'The user is Grace, who likes compilers.' }, { content: 'You are Grace.' });
    const { usage } = await chat({ systemPrompt: 'Be kind.', prompt: 'Who am I?', memory: summary(2) });
    const [summarising, answering] = provider.chatRequests().slice(before);
    // The summary was a model call of this node too: its tokens count in the node's usage (one token a word here).
    const words = (messages: { content?: string | null }[]) => messages.reduce((sum, m) => sum + (m.content ?? '').split(/\s+/).filter(Boolean).length, 0);
    const input = words(summarising.messages) + words(answering.messages);
    expect(usage).toEqual({ inputTokens: input, outputTokens: 7 + 3, totalTokens: input + 10 });
    expect(summarising.stream).toBeFalsy();
    expect(summarising.messages[1].content).toContain('User: I am Grace and I like compilers.\nAssistant: Hello Grace.');
    // One system message: several chat templates refuse a second one.
    expect(answering.messages).toEqual([
      { role: 'system', content: 'Be kind.\n\nSummary of the earlier conversation:\nThe user is Grace, who likes compilers.' },
      { role: 'user', content: 'My favourite language is COBOL.' },
      { role: 'assistant', content: 'Noted: COBOL.' },
      { role: 'user', content: 'Who am I?' },
    ]);

    // The next run builds on the stored summary and folds in only the turns that left the window since.
    provider.enqueueChat({ content: 'Grace likes compilers and COBOL.' }, { content: 'Still Grace.' });
    await chat({ prompt: 'And now?', memory: summary(2) });
    const [resummarising] = provider.chatRequests().slice(before + 2);
    expect(resummarising.messages[1].content).toBe(
      'Existing summary:\nThe user is Grace, who likes compilers.\n\nNew lines:\nUser: My favourite language is COBOL.\nAssistant: Noted: COBOL.',
    );
  });
});

describe('provider faults (acceptance 4)', () => {
  it('retries 429 and 5xx with backoff per the node’s retry policy, honouring Retry-After, and restarts the token stream', async () => {
    provider.enqueueFault('chat', { status: 429, retryAfter: 1, message: 'slow down' }, { status: 503, message: 'overloaded' });
    provider.enqueueChat({ content: 'Third time lucky.' });
    const before = provider.chatRequests().length;
    const handle = await temporal.start(chatGraph({ prompt: 'Hello?' }, { retry: { maximumAttempts: 4, initialInterval: '300ms', backoffCoefficient: 2 } }));
    expect(((await handle.result()).output as ChatOutput).text).toBe('Third time lucky.');
    expect((await handle.query(runStateQuery)).nodes.llm).toMatchObject({ status: 'succeeded', attempts: 3 });
    const times = provider.requests.filter((r) => r.path.endsWith('/chat/completions')).slice(before).map((r) => r.at);
    expect(times).toHaveLength(3);
    expect(times[1] - times[0]).toBeGreaterThanOrEqual(950); // Retry-After: 1
    expect(times[2] - times[1]).toBeGreaterThanOrEqual(550); // 300ms × 2 for the second retry

    const events = await db.orm.em.fork().find(NodeLiveEvent, { workflowId: handle.workflowId }, { orderBy: { id: 'asc' } });
    const lastReset = events.map((event) => event.type).lastIndexOf('llm.reset');
    expect(events[lastReset]).toMatchObject({ attempt: 3, data: { attempt: 3 } });
    const tokens = events.slice(lastReset + 1).filter((event) => event.type === 'llm.token');
    expect(tokens.map((event) => (event.data as { text: string }).text).join('')).toBe('Third time lucky.');
    expect(events.filter((event) => event.type === 'node.attempt').map((event) => [event.attempt, (event.data as { status: string }).status])).toEqual([
      [1, 'failed'],
      [2, 'failed'],
      [3, 'succeeded'],
    ]);
  });

  it('fails at once on 401, naming the credential and never its secret', async () => {
    const before = provider.chatRequests().length;
    const handle = await temporal.start({
      ...chatGraph({ prompt: 'Hello?', credentialId: 'revoked' }, { retry: { maximumAttempts: 5, initialInterval: '100ms' } }),
    });
    const error = await handle.result().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(WorkflowFailedError);
    const state = await handle.query(runStateQuery);
    expect(state.nodes.llm).toMatchObject({ status: 'failed', attempts: 1, error: { type: 'ProviderAuthenticationError' } });
    expect(state.nodes.llm.error?.message).toMatch(/the provider rejected credential "Revoked OpenAI key" \(revoked\)/);
    expect(provider.chatRequests().length - before).toBe(1);
    const history = JSON.stringify(await handle.fetchHistory());
    for (const text of [state.nodes.llm.error?.message ?? '', (error as WorkflowFailedError).cause?.message ?? '', history]) expect(text).not.toContain(WRONG_SECRET);
  });

  it('fails at once, without retrying, when the provider’s answer is not valid JSON, saying so and naming the model and host', async () => {
    const invalidAnswer = async (config: Record<string, unknown>) => {
      provider.enqueueFault('chat', { malformed: true });
      const before = provider.chatRequests().length;
      const handle = await temporal.start(chatGraph(config, { retry: { maximumAttempts: 4, initialInterval: '100ms' } }));
      await expect(handle.result()).rejects.toBeInstanceOf(WorkflowFailedError);
      expect(provider.chatRequests().length - before).toBe(1);
      return (await handle.query(runStateQuery)).nodes.llm;
    };
    const expected = new RegExp(`^the provider's answer was invalid: model test-model at ${new URL(provider.baseUrl).host} sent a response that is not valid JSON \\(.+\\)`);

    const streamed = await invalidAnswer({ prompt: 'Capital of France?' });
    expect(streamed).toMatchObject({ status: 'failed', attempts: 1, error: { type: 'ProviderInvalidResponse' } });
    expect(streamed.error?.message).toMatch(expected);

    // Summary memory asks for its summary without streaming: there the whole body is the broken JSON.
    const memory = { kind: 'summary', sessionId: 'session-malformed', window: 1 };
    provider.enqueueChat({ content: 'First.' });
    await chat({ prompt: 'One.', memory });
    const summarising = await invalidAnswer({ prompt: 'Two.', memory });
    expect(summarising).toMatchObject({ status: 'failed', attempts: 1, error: { type: 'ProviderInvalidResponse' } });
    expect(summarising.error?.message).toMatch(expected);
  });

  it('ends a call the provider never answers with an error naming the model, its host and the limit', async () => {
    provider.enqueueFault('chat', { hang: true });
    const handle = await temporal.start(chatGraph({ prompt: 'Anyone there?' }, { retry: { maximumAttempts: 1 }, timeouts: { startToClose: '3s' } }));
    await expect(handle.result()).rejects.toBeInstanceOf(WorkflowFailedError);
    const { llm } = (await handle.query(runStateQuery)).nodes;
    expect(llm).toMatchObject({ status: 'failed', error: { type: 'ProviderTimeout' } });
    expect(llm.error?.message).toMatch(`model test-model at ${new URL(provider.baseUrl).host} did not answer within 2.7 s`);
  });
});
