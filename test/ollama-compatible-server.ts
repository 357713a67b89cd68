import { startFakeProvider, type FakeProviderServer, type ProviderProtocol } from './fake-provider-server';
import { sendJson } from './http-fixture';
import { countTokens, hashVector, tokensOf, type ChatReply } from './openai-compatible-server';

/**
 * A local server speaking Ollama's native API: POST /api/chat (with `stream`, newline-delimited JSON, one message
 * chunk per token, tool_calls with arguments as objects, counts on the `done` line) and POST /api/embed
 * (deterministic vectors from the text's hash). Ollama takes no key; when `apiKey` is set the server wants it as a
 * bearer token, as a proxy in front of one would.
 */

export interface OllamaRequest {
  model: string;
  messages: { role: string; content: string; tool_calls?: { function: { name: string; arguments: Record<string, unknown> } }[] }[];
  stream?: boolean;
  tools?: { type: 'function'; function: { name: string; description?: string; parameters?: unknown } }[];
  format?: unknown;
  options?: Record<string, unknown>;
}

const EMBEDDING_DIMENSIONS = 8;

function doneLine(request: OllamaRequest, reply: ChatReply) {
  const prompt = request.messages.reduce((sum, message) => sum + countTokens(message.content ?? ''), 0);
  return {
    model: request.model,
    created_at: new Date().toISOString(),
    message: { role: 'assistant', content: '' },
    done: true,
    done_reason: reply.finishReason === 'length' ? 'length' : 'stop',
    prompt_eval_count: prompt,
    eval_count: countTokens(reply.content ?? '') + (reply.toolCalls?.length ?? 0),
  };
}

const toolCallsOf = (reply: ChatReply) => reply.toolCalls?.map((call) => ({ function: { name: call.name, arguments: call.arguments } }));

const protocol = (apiKey: string | undefined): ProviderProtocol => ({
  authorized: (request) => apiKey === undefined || request.headers.authorization === `Bearer ${apiKey}`,
  sendError: (res, status, message) => sendJson(res, status, { error: message }),
  lastUserText: (body) => (body as unknown as OllamaRequest).messages.filter((message) => message.role === 'user').at(-1)?.content ?? '',
  answer(request, res, nextReply) {
    if (request.method !== 'POST') return false;
    if (request.path === '/api/embed') {
      const input = request.body.input;
      const texts = Array.isArray(input) ? (input as string[]) : [String(input)];
      sendJson(res, 200, { model: request.body.model, embeddings: texts.map((text) => hashVector(text, EMBEDDING_DIMENSIONS)) });
      return true;
    }
    if (request.path !== '/api/chat') return false;
    const body = request.body as unknown as OllamaRequest;
    const reply = nextReply();
    const toolCalls = toolCallsOf(reply);
    if (body.stream === false) {
      const done = doneLine(body, reply);
      sendJson(res, 200, { ...done, message: { role: 'assistant', content: reply.content ?? '', ...(toolCalls ? { tool_calls: toolCalls } : {}) } });
      return true;
    }
    res.writeHead(200, { 'content-type': 'application/x-ndjson' });
    const line = (message: Record<string, unknown>) =>
      res.write(`${JSON.stringify({ model: body.model, created_at: new Date().toISOString(), message: { role: 'assistant', ...message }, done: false })}\n`);
    for (const token of tokensOf(reply.content ?? '')) line({ content: token });
    if (toolCalls) line({ content: '', tool_calls: toolCalls });
    res.end(`${JSON.stringify(doneLine(body, reply))}\n`);
    return true;
  },
});

/** Without `apiKey`, like Ollama itself, any request is served. */
export const startOllamaCompatibleServer = (options: { apiKey?: string } = {}): Promise<FakeProviderServer> =>
  startFakeProvider(protocol(options.apiKey), { apiKey: options.apiKey ?? '' });

export const ollamaChatRequests = (server: FakeProviderServer): OllamaRequest[] =>
  server.requests.filter((request) => request.path === '/api/chat').map((request) => request.body as unknown as OllamaRequest);
