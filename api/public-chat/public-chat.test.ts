import type { GraphInput } from '../../engine/graph';
import type { ApiHarness, TestAccount } from '../../test/api-harness';
import { startChatApi } from '../../test/chat-api';
import { graphEdge as edge, graphNode as node } from '../../test/graph-builders';
import type { OpenAiCompatibleServer } from '../../test/openai-compatible-server';
import { parseSseEvents, tokensIn } from '../../test/sse-events';
import { waitFor } from '../../test/wait-for';
import type { ChatMessageDto, ChatSessionDetailDto, ChatSessionDto } from '../../contract/chat';
import type { ChatEndpointDto } from '../../contract/public-chat';

let api: ApiHarness;
let provider: OpenAiCompatibleServer;
let owner: TestAccount;
let credentialId: string;

beforeAll(async () => {
  ({ api, provider, owner, credentialId } = await startChatApi('public-chat', 'sk-public'));
}, 180_000);
afterAll(async () => {
  await Promise.all([api?.close(), provider?.close()]);
});

function chatGraph(chat: Record<string, unknown>): GraphInput {
  return {
    nodes: [
      node('chat', 'chat-trigger', chat),
      node('llm', 'llm-chat', { credentialId, model: 'local-model', prompt: '{{ input.message }}' }),
      node('end', 'end', { value: { answer: '{{ nodes.llm.output.text }}' } }),
    ],
    edges: [edge('chat', 'llm'), edge('llm', 'end')],
  };
}

/** Creates and publishes a workflow through the API, as a user would: publishing gives its Chat trigger an endpoint. */
async function publishChat(chat: Record<string, unknown>): Promise<ChatEndpointDto & { workflowId: string }> {
  const created = await api.request<{ id: string }>('POST', '/api/v1/workflows', { token: owner.token, body: { name: 'public chat', graph: chatGraph(chat) } });
  expect((await api.request('POST', `/api/v1/workflows/${created.body.id}/versions`, { token: owner.token, body: {} })).status).toBe(201);
  const listed = await api.request<{ items: ChatEndpointDto[] }>('GET', `/api/v1/workflows/${created.body.id}/chat/endpoints`, { token: owner.token });
  expect(listed.body.items).toHaveLength(1);
  return { ...listed.body.items[0], workflowId: created.body.id };
}

async function issueToken(endpoint: { id: string }): Promise<string> {
  const issued = await api.request<{ token: string }>('POST', `/api/v1/chat-endpoints/${endpoint.id}/token`, { token: owner.token });
  expect(issued.status).toBe(201);
  return issued.body.token;
}

function publicRequest<T>(method: 'GET' | 'POST', path: string, init: { token?: string; body?: unknown; headers?: Record<string, string> } = {}) {
  return api.request<T>(method, path, { body: init.body, headers: { ...(init.token ? { authorization: `Bearer ${init.token}` } : {}), ...init.headers } });
}

function postMessage(apiPath: string, sessionId: string, message: string, init: { token?: string; signal?: AbortSignal } = {}): Promise<Response> {
  return fetch(`${api.url}${apiPath}/sessions/${sessionId}/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(init.token ? { authorization: `Bearer ${init.token}` } : {}) },
    body: JSON.stringify({ message }),
    signal: init.signal,
  });
}

const errorField = (response: { status: number; body: unknown }) => [response.status, (response.body as { error: { details: { path: string }[] } }).error.details[0]?.path];

test('token mode: a missing or wrong token is 401; with the issued token a message streams its answer into the history', async () => {
  const endpoint = await publishChat({ authMode: 'token' });
  expect(endpoint).toMatchObject({ authMode: 'token', hasToken: false, apiPath: `/api/chat/${endpoint.id}`, pagePath: `/chat/${endpoint.id}` });
  const sessions = `${endpoint.apiPath}/sessions`;
  // No token issued yet: nothing gets in.
  expect(errorField(await publicRequest('POST', sessions, { body: {}, token: 'chattok_guess' }))).toEqual([401, 'headers.authorization']);
  const token = await issueToken(endpoint);
  expect(errorField(await publicRequest('POST', sessions, { body: {} }))).toEqual([401, 'headers.authorization']);
  expect(errorField(await publicRequest('POST', sessions, { body: {}, token: `${token}x` }))).toEqual([401, 'headers.authorization']);

  const session = await publicRequest<ChatSessionDto>('POST', sessions, { body: {}, token });
  expect(session.status).toBe(201);
  provider.enqueueChat({ content: 'Hello from the public chat.' });
  const response = await postMessage(endpoint.apiPath, session.body.id, 'Hi there', { token });
  expect(response.status).toBe(200);
  const events = parseSseEvents(await response.text());
  expect(events[0]).toMatchObject({ event: 'chat.message', data: { sessionId: session.body.id, message: 'Hi there' } });
  expect(tokensIn(events, 'llm').join('')).toBe('Hello from the public chat.');
  expect(events.at(-1)).toMatchObject({ event: 'answer', data: { status: 'answered', reply: 'Hello from the public chat.' } });

  const history = await publicRequest<ChatSessionDetailDto>('GET', `${sessions}/${session.body.id}`, { token });
  expect(history.body.messages.map((m) => [m.message, m.reply])).toEqual([['Hi there', 'Hello from the public chat.']]);
  // The token is stored only as a hash, and no listing shows it.
  const stored = await api.database.orm.em.fork().getConnection().execute<{ token_hash: string }[]>('select token_hash from chat_endpoints where id = ?', [endpoint.id]);
  expect(stored[0].token_hash).not.toContain(token);
  const listed = await api.request('GET', `/api/v1/workflows/${endpoint.workflowId}/chat/endpoints`, { token: owner.token });
  expect(listed.text).not.toContain(token);
});

test("'none' mode takes anyone up to its rate limit, then 429 with retry-after", async () => {
  const endpoint = await publishChat({ authMode: 'none', rateLimitPerMinute: 2 });
  const sessions = `${endpoint.apiPath}/sessions`;
  expect((await publicRequest('POST', sessions, { body: {} })).status).toBe(201);
  expect((await publicRequest('POST', sessions, { body: {} })).status).toBe(201);
  const limited = await publicRequest('POST', sessions, { body: {} });
  expect(limited.status).toBe(429);
  expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
});

test('unknown, unpublished and foreign ids are 404 naming the field; bad input 400 naming it', async () => {
  const endpoint = await publishChat({ authMode: 'none' });
  const other = await publishChat({ authMode: 'none' });
  const unknown = `/api/chat/chat_${'A'.repeat(43)}/sessions`;
  expect(errorField(await publicRequest('POST', unknown, { body: {} }))).toEqual([404, 'params.endpointId']);
  expect(errorField(await publicRequest('POST', '/api/chat/not-an-id/sessions', { body: {} }))).toEqual([400, 'params.endpointId']);

  // A session of another endpoint, or one started in the signed-in chat, is not reachable here.
  const foreign = await publicRequest<ChatSessionDto>('POST', `${other.apiPath}/sessions`, { body: {} });
  const signedIn = await api.request<ChatSessionDto>('POST', `/api/v1/workflows/${endpoint.workflowId}/chat/sessions`, { token: owner.token, body: {} });
  for (const sessionId of [foreign.body.id, signedIn.body.id]) {
    expect(errorField(await publicRequest('GET', `${endpoint.apiPath}/sessions/${sessionId}`))).toEqual([404, 'params.sessionId']);
    expect(errorField(await publicRequest('POST', `${endpoint.apiPath}/sessions/${sessionId}/messages`, { body: { message: 'hi' } }))).toEqual([404, 'params.sessionId']);
  }
  const own = await publicRequest<ChatSessionDto>('POST', `${endpoint.apiPath}/sessions`, { body: {} });
  expect(errorField(await publicRequest('POST', `${endpoint.apiPath}/sessions/${own.body.id}/messages`, { body: { message: ' ' } }))).toEqual([400, 'body.message']);
  expect(errorField(await publicRequest('GET', `${endpoint.apiPath}/sessions/not-a-session`))).toEqual([400, 'params.sessionId']);

  // Unpublishing the node (a version without a Chat trigger) disables the endpoint.
  await api.request('PATCH', `/api/v1/workflows/${endpoint.workflowId}`, { token: owner.token, body: { graph: { nodes: [node('start', 'start'), node('end', 'end')], edges: [edge('start', 'end')] } } });
  expect((await api.request('POST', `/api/v1/workflows/${endpoint.workflowId}/versions`, { token: owner.token, body: {} })).status).toBe(201);
  expect(errorField(await publicRequest('POST', `${endpoint.apiPath}/sessions`, { body: {} }))).toEqual([404, 'params.endpointId']);
});

test('allowed origins get CORS headers (preflight too); other origins get none', async () => {
  const endpoint = await publishChat({ authMode: 'none', allowedOrigins: ['https://shop.example'] });
  const preflight = await fetch(`${api.url}${endpoint.apiPath}/sessions`, { method: 'OPTIONS', headers: { origin: 'https://shop.example', 'access-control-request-method': 'POST' } });
  expect(preflight.status).toBe(204);
  expect(preflight.headers.get('access-control-allow-origin')).toBe('https://shop.example');
  const allowed = await publicRequest('POST', `${endpoint.apiPath}/sessions`, { body: {}, headers: { origin: 'https://shop.example' } });
  expect(allowed.headers.get('access-control-allow-origin')).toBe('https://shop.example');
  const other = await publicRequest('POST', `${endpoint.apiPath}/sessions`, { body: {}, headers: { origin: 'https://evil.example' } });
  expect(other.headers.get('access-control-allow-origin')).toBeNull();
});

test('a client that disconnects mid-stream loses nothing: the reply lands in the session history', async () => {
  const endpoint = await publishChat({ authMode: 'none' });
  const session = await publicRequest<ChatSessionDto>('POST', `${endpoint.apiPath}/sessions`, { body: {} });
  const reply = 'A public visitor may close the tab; the run goes on, one token at a time until the very end.';
  provider.enqueueChat({ content: reply });
  const leave = new AbortController();
  const response = await postMessage(endpoint.apiPath, session.body.id, 'Tell me something.', { signal: leave.signal });
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  let seen = '';
  while (!seen.includes('"llm.token"')) seen += new TextDecoder().decode((await reader.read()).value);
  leave.abort();

  let message: ChatMessageDto | undefined;
  await waitFor('the reply in the session history', async () => {
    const history = await publicRequest<ChatSessionDetailDto>('GET', `${endpoint.apiPath}/sessions/${session.body.id}`);
    message = history.body.messages[0];
    return message?.status !== 'running';
  });
  expect(message).toMatchObject({ status: 'answered', reply });
});

test('the chat page is served with a strict CSP, no inline script or style, and framed only by the allowed origins', async () => {
  const endpoint = await publishChat({ authMode: 'none', allowedOrigins: ['https://shop.example', 'http://localhost:8080'] });
  const page = await fetch(`${api.url}${endpoint.pagePath}`);
  expect(page.status).toBe(200);
  const policy = page.headers.get('content-security-policy') ?? '';
  expect(policy.split('; ')).toEqual(expect.arrayContaining(["default-src 'none'", "script-src 'self'", "style-src 'self'", "connect-src 'self'", 'frame-ancestors https://shop.example http://localhost:8080']));
  expect(policy).not.toContain('unsafe-inline');
  expect(page.headers.get('x-frame-options')).toBeNull();
  const html = await page.text();
  expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
  expect(html).not.toMatch(/<style|\sstyle=|\son[a-z]+=/);
  for (const asset of [...html.matchAll(/(?:src|href)="(\/chat-assets\/[^"]+)"/g)].map((match) => match[1])) {
    expect((await fetch(`${api.url}${asset}`)).status).toBe(200);
  }
  expect(html).toContain('src="/chat-assets/chat-page.js"');

  const closed = await publishChat({ authMode: 'none' });
  expect((await fetch(`${api.url}${closed.pagePath}`)).headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
  expect((await fetch(`${api.url}/chat/chat_${'B'.repeat(43)}`)).status).toBe(404);
  expect((await fetch(`${api.url}/chat/not-an-id`)).status).toBe(404);
  const widget = await fetch(`${api.url}/chat-widget.js`);
  expect(widget.status).toBe(200);
  expect(widget.headers.get('content-type')).toMatch(/javascript/);
});
