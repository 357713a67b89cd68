import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local OpenAI-compatible server (chat completions with streaming and tool calls, embeddings) that the real
 * @langchain/openai clients talk to over HTTP through their base URL. No provider is reachable from these machines;
 * this is the provider, not a mock of the client.
 */

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant' | 'tool';
  content: string | null;
  tool_calls?: { id: string; type: 'function'; function: { name: string; arguments: string } }[];
  tool_call_id?: string;
}

export interface ChatRequest {
  model: string;
  messages: ChatMessage[];
  stream?: boolean;
  tools?: { type: 'function'; function: { name: string; description?: string; parameters?: unknown } }[];
  response_format?: { type: string; json_schema?: { name: string; schema: unknown } };
  temperature?: number;
  max_tokens?: number;
  max_completion_tokens?: number;
}

export interface ChatReply {
  content?: string;
  toolCalls?: { name: string; arguments: Record<string, unknown> }[];
  finishReason?: 'stop' | 'length' | 'tool_calls';
}

export interface ErrorFault {
  status: number;
  message?: string;
  /** Seconds, sent as Retry-After. */
  retryAfter?: number;
}

/**
 * An error answer, or a provider misbehaving: `malformed` answers 200 with JSON cut mid-string (a streamed request
 * gets it as an event), `hang` accepts the request and never answers.
 */
export type Fault = ErrorFault | { malformed: true } | { hang: true };

export interface RecordedRequest {
  path: string;
  authorization?: string;
  body: Record<string, unknown>;
  /** When the request arrived (ms since the epoch): lets a test measure retry backoff. */
  at: number;
  /** When a streamed answer's first content token was written (ms since the epoch): the model's own first-token time. */
  firstTokenAt?: number;
}

export interface OpenAiCompatibleServerOptions {
  /** The key clients must send as a bearer token; anything else is answered 401 like OpenAI does. */
  apiKey?: string;
  /** Answers a chat request when no scripted reply is queued; by default echoes the last user message. */
  respond?: (request: ChatRequest) => ChatReply;
  /** Milliseconds between streamed chunks, so a test can watch tokens arrive. */
  streamChunkDelayMs?: number;
  /** Milliseconds a streamed answer waits before its first token, as a model thinks before it speaks (default: the chunk delay). */
  firstTokenDelayMs?: number;
  /** Puts the Authorization header and the key it carries into the 401 body, as some self-hosted servers do. */
  echoAuthorizationIn401?: boolean;
  /** Streams usage as Groq does: in `x_groq` on the chunk carrying the finish reason, not in a chunk of its own. */
  usageInXGroq?: boolean;
}

export interface OpenAiCompatibleServer {
  /** Base URL including /v1, as the openai credential's baseUrl. */
  baseUrl: string;
  apiKey: string;
  requests: RecordedRequest[];
  /** Replies used, in order, by the next chat requests before `respond` is consulted. */
  enqueueChat(...replies: ChatReply[]): void;
  /** Faults answered, in order, by the next requests to `endpoint` before any reply. */
  enqueueFault(endpoint: 'chat' | 'embeddings', ...faults: Fault[]): void;
  chatRequests(): ChatRequest[];
  close(): Promise<void>;
}

export async function startOpenAiCompatibleServer(options: OpenAiCompatibleServerOptions = {}): Promise<OpenAiCompatibleServer> {
  const apiKey = options.apiKey ?? 'sk-test-local';
  const respond = options.respond ?? echoLastUserMessage;
  const requests: RecordedRequest[] = [];
  const scripted: ChatReply[] = [];
  const faults: Record<'chat' | 'embeddings', Fault[]> = { chat: [], embeddings: [] };
  let sequence = 0;

  const server = createServer((req, res) => {
    void (async () => {
      const at = Date.now();
      const body = await readJson(req);
      const path = (req.url ?? '').split('?')[0];
      const recorded: RecordedRequest = { path, authorization: req.headers.authorization, body, at };
      requests.push(recorded);
      if (req.headers.authorization !== `Bearer ${apiKey}`) {
        const sent = req.headers.authorization ?? '';
        const message = options.echoAuthorizationIn401 ? `Incorrect API key provided: ${sent.replace(/^Bearer /, '')} (Authorization: ${sent})` : 'Incorrect API key provided.';
        return sendError(res, { status: 401, message }, 'invalid_api_key');
      }
      const endpoint = path.endsWith('/chat/completions') ? 'chat' : path.endsWith('/embeddings') ? 'embeddings' : undefined;
      if (!endpoint || req.method !== 'POST') return sendError(res, { status: 404, message: `no route ${req.method} ${path}` }, 'not_found');
      const fault = faults[endpoint].shift();
      if (fault && 'hang' in fault) return;
      if (fault && 'malformed' in fault) return sendMalformed(res, (body as unknown as ChatRequest).stream === true);
      if (fault) return sendError(res, fault, fault.status === 429 ? 'rate_limit_exceeded' : 'server_error');
      if (endpoint === 'embeddings') return sendJson(res, embeddingsAnswer(body));
      const request = body as unknown as ChatRequest;
      const reply = scripted.shift() ?? respond(request);
      const id = `chatcmpl-${++sequence}`;
      if (request.stream) {
        const pacing = { delayMs: options.streamChunkDelayMs ?? 0, firstTokenDelayMs: options.firstTokenDelayMs ?? options.streamChunkDelayMs ?? 0, usageInXGroq: options.usageInXGroq ?? false };
        return streamChat(res, id, request, reply, pacing, () => void (recorded.firstTokenAt ??= Date.now()));
      }
      return sendJson(res, chatAnswer(id, request, reply));
    })().catch((error: unknown) => sendError(res, { status: 500, message: String(error) }, 'server_error'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    apiKey,
    requests,
    enqueueChat: (...replies) => void scripted.push(...replies),
    enqueueFault: (endpoint, ...added) => void faults[endpoint].push(...added),
    chatRequests: () => requests.filter((r) => r.path.endsWith('/chat/completions')).map((r) => r.body as unknown as ChatRequest),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function echoLastUserMessage(request: ChatRequest): ChatReply {
  const lastUser = [...request.messages].reverse().find((m) => m.role === 'user');
  return { content: `You said: ${lastUser?.content ?? ''}` };
}

/** Whitespace-delimited pieces, so a streamed answer arrives as several tokens. */
export function tokensOf(text: string): string[] {
  return text.match(/\S+\s*/g) ?? [];
}

/** Roughly one token per word: enough for usage figures that move with the text. */
export function countTokens(text: string): number {
  return tokensOf(text).length;
}

function usageOf(request: ChatRequest, reply: ChatReply) {
  const prompt = request.messages.reduce((sum, m) => sum + countTokens(m.content ?? ''), 0);
  const completion = countTokens(reply.content ?? '') + (reply.toolCalls?.length ?? 0);
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
}

function toolCallsOf(reply: ChatReply, id: string) {
  return reply.toolCalls?.map((call, index) => ({
    id: `call_${id}_${index}`,
    type: 'function' as const,
    function: { name: call.name, arguments: JSON.stringify(call.arguments) },
  }));
}

function finishReasonOf(reply: ChatReply): string {
  return reply.finishReason ?? (reply.toolCalls?.length ? 'tool_calls' : 'stop');
}

function chatAnswer(id: string, request: ChatRequest, reply: ChatReply) {
  const toolCalls = toolCallsOf(reply, id);
  return {
    id,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: request.model,
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: reply.content ?? null, ...(toolCalls ? { tool_calls: toolCalls } : {}) },
        finish_reason: finishReasonOf(reply),
      },
    ],
    usage: usageOf(request, reply),
  };
}

interface StreamPacing {
  delayMs: number;
  firstTokenDelayMs: number;
  usageInXGroq: boolean;
}

async function streamChat(res: ServerResponse, id: string, request: ChatRequest, reply: ChatReply, pacing: StreamPacing, firstTokenWritten: () => void): Promise<void> {
  const { delayMs, firstTokenDelayMs, usageInXGroq } = pacing;
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
  const chunk = (choice: Record<string, unknown> | undefined, extra: Record<string, unknown> = {}) =>
    res.write(
      `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created: Math.floor(Date.now() / 1000), model: request.model, choices: choice ? [choice] : [], ...extra })}\n\n`,
    );
  chunk({ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null });
  for (const [index, token] of tokensOf(reply.content ?? '').entries()) {
    const wait = index === 0 ? firstTokenDelayMs : delayMs;
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    chunk({ index: 0, delta: { content: token }, finish_reason: null });
    if (index === 0) firstTokenWritten();
  }
  toolCallsOf(reply, id)?.forEach((call, index) => chunk({ index: 0, delta: { tool_calls: [{ index, ...call }] }, finish_reason: null }));
  if (usageInXGroq) chunk({ index: 0, delta: {}, finish_reason: finishReasonOf(reply) }, { x_groq: { id, usage: usageOf(request, reply) } });
  else {
    chunk({ index: 0, delta: {}, finish_reason: finishReasonOf(reply) });
    chunk(undefined, { usage: usageOf(request, reply) });
  }
  res.end('data: [DONE]\n\n');
}

/** Deterministic vectors from the text's hash: the same text always embeds the same way. */
function embeddingsAnswer(body: Record<string, unknown>) {
  const inputs = Array.isArray(body.input) ? (body.input as unknown[]) : [body.input];
  const dimensions = typeof body.dimensions === 'number' ? body.dimensions : 8;
  const base64 = body.encoding_format === 'base64';
  const data = inputs.map((input, index) => {
    const vector = hashVector(String(input), dimensions);
    const embedding = base64 ? Buffer.from(new Float32Array(vector).buffer).toString('base64') : vector;
    return { object: 'embedding', index, embedding };
  });
  const tokens = inputs.reduce<number>((sum, input) => sum + countTokens(String(input)), 0);
  return { object: 'list', data, model: body.model, usage: { prompt_tokens: tokens, total_tokens: tokens } };
}

export function hashVector(text: string, dimensions: number): number[] {
  const vector: number[] = [];
  for (let block = 0; vector.length < dimensions; block++) {
    const digest = createHash('sha256').update(`${block}:${text}`).digest();
    for (let i = 0; i + 1 < digest.length && vector.length < dimensions; i += 2) vector.push(digest.readInt16LE(i) / 32768);
  }
  const norm = Math.hypot(...vector) || 1;
  return vector.map((v) => v / norm);
}

function sendJson(res: ServerResponse, body: unknown): void {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

function sendMalformed(res: ServerResponse, streamed: boolean): void {
  const cut = '{"id": "chatcmpl-x", "object": "chat.completion", "choices": [{"message": {"content": "Par';
  res.writeHead(200, { 'content-type': streamed ? 'text/event-stream' : 'application/json' });
  res.end(streamed ? `data: ${cut}\n\n` : cut);
}

function sendError(res: ServerResponse, fault: ErrorFault, code: string): void {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (fault.retryAfter !== undefined) headers['retry-after'] = String(fault.retryAfter);
  res.writeHead(fault.status, headers);
  res.end(JSON.stringify({ error: { message: fault.message ?? `status ${fault.status}`, type: code, code } }));
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}
