import type { GraphInput } from '../../engine/graph';
import type { ApiHarness, TestAccount } from '../../test/api-harness';
import { startChatApi } from '../../test/chat-api';
import { graphEdge as edge, graphNode as node } from '../../test/graph-builders';
import type { OpenAiCompatibleServer } from '../../test/openai-compatible-server';
import { createPublishedWorkflow } from '../../test/published-workflow';
import { parseSseEvents, tokensIn, type SseEvent } from '../../test/sse-events';
import { waitFor } from '../../test/wait-for';
import type { ChatMessageDto, ChatSessionDetailDto, ChatSessionDto } from '../../contract/chat';

let api: ApiHarness;
let provider: OpenAiCompatibleServer;
let owner: TestAccount;
let credentialId: string;

beforeAll(async () => {
  ({ api, provider, owner, credentialId } = await startChatApi('chat', 'sk-chat'));
}, 180_000);
afterAll(async () => {
  await Promise.all([api?.close(), provider?.close()]);
});

/** Chat trigger → LLM Chat with buffer memory on the chat session → End, which passes on citations to show they reach the reply. */
function chatGraph(): GraphInput {
  return {
    nodes: [
      node('chat', 'chat-trigger'),
      node('llm', 'llm-chat', { credentialId, model: 'local-model', prompt: '{{ input.message }}', memory: { kind: 'buffer', sessionId: '{{ input.sessionId }}' } }),
      node('end', 'end', { value: { answer: '{{ nodes.llm.output.text }}', citations: [{ n: 1, text: 'Ada wrote the first program.', source: 'notes.txt' }] } }),
    ],
    edges: [edge('chat', 'llm'), edge('llm', 'end')],
  };
}

const sessionsOf = (workflowId: string) => `/api/v1/workflows/${workflowId}/chat/sessions`;

async function newSession(workflowId: string): Promise<string> {
  const created = await api.request<ChatSessionDto>('POST', sessionsOf(workflowId), { token: owner.token, body: {} });
  expect(created.status).toBe(201);
  return created.body.id;
}

function postMessage(workflowId: string, sessionId: string, message: string, init: { query?: string; signal?: AbortSignal } = {}): Promise<Response> {
  return fetch(`${api.url}${sessionsOf(workflowId)}/${sessionId}/messages${init.query ?? ''}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${owner.token}`, 'content-type': 'application/json', accept: 'text/event-stream' },
    body: JSON.stringify({ message }),
    signal: init.signal,
  });
}

async function ask(workflowId: string, sessionId: string, message: string, query?: string): Promise<SseEvent[]> {
  const response = await postMessage(workflowId, sessionId, message, { query });
  expect(response.status).toBe(200);
  return parseSseEvents(await response.text());
}

test('two messages stream their answers and the second run remembers the first; the history keeps both; deleting forgets it', async () => {
  const workflowId = await createPublishedWorkflow(api.database.orm, owner, chatGraph());
  const sessionId = await newSession(workflowId);
  provider.enqueueChat({ content: 'Nice to meet you, Ada.' }, { content: 'Your name is Ada.' });

  const first = await ask(workflowId, sessionId, 'My name is Ada.');
  expect(first[0]).toMatchObject({ event: 'chat.message', data: { sessionId, message: 'My name is Ada.', answerNode: 'llm', status: 'running' } });
  expect(tokensIn(first, 'llm').join('')).toBe('Nice to meet you, Ada.');
  const answer = first.at(-1);
  expect(answer?.event).toBe('answer');
  expect(answer?.data).toMatchObject({ status: 'answered', reply: 'Nice to meet you, Ada.', runId: first[0].data.runId, citations: [{ n: 1, source: 'notes.txt' }] });
  expect(first.at(-2)?.event).toBe('run.succeeded');

  const second = await ask(workflowId, sessionId, 'What is my name?');
  expect(second.at(-1)?.data).toMatchObject({ status: 'answered', reply: 'Your name is Ada.' });
  // The second run's model call carried the first exchange: the session's memory.
  const sent = provider.chatRequests().at(-1)?.messages.map((m) => `${m.role}: ${m.content}`);
  expect(sent).toEqual(['user: My name is Ada.', 'assistant: Nice to meet you, Ada.', 'user: What is my name?']);

  const history = await api.request<ChatSessionDetailDto>('GET', `${sessionsOf(workflowId)}/${sessionId}`, { token: owner.token });
  expect(history.status).toBe(200);
  expect(history.body.messages.map((m) => [m.message, m.reply])).toEqual([
    ['My name is Ada.', 'Nice to meet you, Ada.'],
    ['What is my name?', 'Your name is Ada.'],
  ]);
  const run = await api.request('GET', `/api/v1/runs/${history.body.messages[1].runId}`, { token: owner.token });
  expect(run.body).toMatchObject({ status: 'succeeded', inputs: { sessionId, message: 'What is my name?' } });
  const listed = await api.request<{ items: ChatSessionDto[] }>('GET', sessionsOf(workflowId), { token: owner.token });
  expect(listed.body.items.map((s) => s.id)).toContain(sessionId);

  expect((await api.request('DELETE', `${sessionsOf(workflowId)}/${sessionId}`, { token: owner.token })).status).toBe(204);
  expect((await api.request('GET', `${sessionsOf(workflowId)}/${sessionId}`, { token: owner.token })).status).toBe(404);
  const turns = await api.database.orm.em.fork().getConnection().execute('select 1 from conversation_turns where session_id = ?', [sessionId]);
  expect(turns).toHaveLength(0);
});

test('a client that leaves mid-stream loses nothing: the run finishes and its reply is in the history', async () => {
  const workflowId = await createPublishedWorkflow(api.database.orm, owner, chatGraph());
  const sessionId = await newSession(workflowId);
  const reply = 'Durable execution keeps going when the listener hangs up, one token at a time until the very end.';
  provider.enqueueChat({ content: reply });
  const leave = new AbortController();
  const response = await postMessage(workflowId, sessionId, 'Tell me about durability.', { signal: leave.signal });
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  let seen = '';
  while (!seen.includes('"llm.token"')) seen += new TextDecoder().decode((await reader.read()).value);
  leave.abort();

  let message: ChatMessageDto | undefined;
  await waitFor('the reply in the session history', async () => {
    const history = await api.request<ChatSessionDetailDto>('GET', `${sessionsOf(workflowId)}/${sessionId}`, { token: owner.token });
    message = history.body.messages[0];
    return message?.status !== 'running';
  });
  expect(message).toMatchObject({ status: 'answered', reply });
});

test('a reply the answering API never wrote (it stopped) is settled from the run when the session is read', async () => {
  const workflowId = await createPublishedWorkflow(api.database.orm, owner, chatGraph());
  const sessionId = await newSession(workflowId);
  provider.enqueueChat({ content: 'Kept by the run itself.' });
  const { type: _event, ...answered } = (await ask(workflowId, sessionId, 'Will you remember?')).at(-1)?.data as unknown as ChatMessageDto & { type: 'answer' };
  expect(answered).toMatchObject({ status: 'answered', reply: 'Kept by the run itself.' });
  // As the row stands when the API that started the run stopped before the run ended.
  await api.database.orm.em.fork().getConnection().execute(`update chat_messages set status = 'running', reply = null, citations = null, answered_at = null where id = ?`, [answered.id]);

  const history = await api.request<ChatSessionDetailDto>('GET', `${sessionsOf(workflowId)}/${sessionId}`, { token: owner.token });
  expect(history.body.messages).toEqual([{ ...answered, answeredAt: expect.any(String) }]);
});

test('a draft answers with ?draft=true as a test run', async () => {
  const workflowId = await createPublishedWorkflow(api.database.orm, owner);
  await api.request('PATCH', `/api/v1/workflows/${workflowId}`, { token: owner.token, body: { graph: chatGraph() } });
  const sessionId = await newSession(workflowId);
  expect((await postMessage(workflowId, sessionId, 'Hi')).status).toBe(409);
  provider.enqueueChat({ content: 'Hello from the draft.' });
  const events = await ask(workflowId, sessionId, 'Hi', '?draft=true');
  expect(events.at(-1)?.data).toMatchObject({ reply: 'Hello from the draft.' });
  const run = await api.request('GET', `/api/v1/runs/${events[0].data.runId}`, { token: owner.token });
  expect(run.body).toMatchObject({ trigger: 'test', version: null });
});

test('bad input answers 4xx naming the field', async () => {
  const workflowId = await createPublishedWorkflow(api.database.orm, owner, chatGraph());
  const other = await createPublishedWorkflow(api.database.orm, owner, chatGraph());
  const sessionId = await newSession(workflowId);
  const send = (body: unknown, session = sessionId, workflow = workflowId) =>
    api.request('POST', `${sessionsOf(workflow)}/${session}/messages`, { token: owner.token, body });
  const fieldOf = (response: { status: number; body: { error: { details: { path: string }[] } } }) => [response.status, response.body.error.details[0]?.path];

  expect(fieldOf(await send({ message: 'hi' }, '00000000-0000-4000-8000-000000000000'))).toEqual([404, 'params.sessionId']);
  expect(fieldOf(await send({ message: 'hi' }, sessionId, other))).toEqual([404, 'params.sessionId']);
  expect(fieldOf(await send({ message: 'hi' }, 'not-a-session'))).toEqual([400, 'params.sessionId']);
  expect(fieldOf(await send({ message: '   ' }))).toEqual([400, 'body.message']);
  expect(fieldOf(await send({ message: 'x'.repeat(32_001) }))).toEqual([400, 'body.message']);
  expect(fieldOf(await send({ message: 'hi', attachments: [{ name: 'big.txt', format: 'text', content: 'A'.repeat(700_001) }] }))).toEqual([400, 'body.attachments.0.content']);
  expect(fieldOf(await send({ message: 'hi', attachments: [{ name: 'empty.txt', format: 'text', content: '' }] }))).toEqual([400, 'body.attachments.0.content']);

  const plain = await createPublishedWorkflow(api.database.orm, owner, { nodes: [node('start', 'start'), node('end', 'end')], edges: [edge('start', 'end')] });
  const plainSession = await newSession(plain);
  expect(fieldOf(await send({ message: 'hi' }, plainSession, plain))).toEqual([400, 'params.workflowId']);
  expect(fieldOf(await api.request('POST', `${sessionsOf(plain)}/${plainSession}/messages?draft=true`, { token: owner.token, body: { message: 'hi' } }))).toEqual([400, 'params.workflowId']);

  const stranger = await api.signUp('chat-stranger');
  const foreign = await api.request('GET', `${sessionsOf(workflowId)}/${sessionId}`, { token: stranger.token });
  expect(foreign.status).toBe(404);
});
