import type { ServerResponse } from 'node:http';
import { startFakeProvider, openEventStream, type FakeProviderServer, type ProviderProtocol } from './fake-provider-server';
import { sendJson } from './http-fixture';
import { countTokens, tokensOf, type ChatReply } from './openai-compatible-server';

/**
 * A local server speaking Anthropic's Messages API (POST /v1/messages, the key in x-api-key): a whole message, or
 * with `stream: true` the SSE events message_start, content_block_start/delta/stop (text_delta, input_json_delta
 * for tool_use blocks), message_delta and message_stop, as @anthropic-ai/sdk reads them.
 */

interface ContentBlock {
  type: string;
  text?: string;
  content?: unknown;
}

export interface AnthropicRequest {
  model: string;
  max_tokens: number;
  system?: string | ContentBlock[];
  messages: { role: 'user' | 'assistant'; content: string | ContentBlock[] }[];
  tools?: { name: string; description?: string; input_schema: unknown }[];
  stream?: boolean;
  temperature?: number;
}

const textOf = (content: string | ContentBlock[] | undefined): string =>
  typeof content === 'string' ? content : (content ?? []).map((block) => block.text ?? (typeof block.content === 'string' ? block.content : '')).join('');

type ReplyBlock = { type: 'text'; text: string } | { type: 'tool_use'; id: string; name: string; input: Record<string, unknown> };

function blocksOf(reply: ChatReply, id: string): ReplyBlock[] {
  return [
    ...(reply.content ? [{ type: 'text' as const, text: reply.content }] : []),
    ...(reply.toolCalls ?? []).map((call, index) => ({ type: 'tool_use' as const, id: `toolu_${id}_${index}`, name: call.name, input: call.arguments })),
  ];
}

function usageOf(request: AnthropicRequest, reply: ChatReply) {
  const input = countTokens(textOf(request.system)) + request.messages.reduce((sum, message) => sum + countTokens(textOf(message.content)), 0);
  return { input_tokens: input, output_tokens: countTokens(reply.content ?? '') + (reply.toolCalls?.length ?? 0) };
}

const stopReasonOf = (reply: ChatReply) => (reply.toolCalls?.length ? 'tool_use' : reply.finishReason === 'length' ? 'max_tokens' : 'end_turn');

function streamMessage(res: ServerResponse, id: string, request: AnthropicRequest, reply: ChatReply): void {
  const events = openEventStream(res);
  const send = (data: Record<string, unknown>) => events.send(data, data.type as string);
  const usage = usageOf(request, reply);
  // Anthropic reports an output token or so at the start, and the cumulative count in message_delta.
  const start = { id, type: 'message', role: 'assistant', model: request.model, content: [], stop_reason: null, stop_sequence: null };
  send({ type: 'message_start', message: { ...start, usage: { input_tokens: usage.input_tokens, output_tokens: 1 } } });
  blocksOf(reply, id).forEach((block, index) => {
    if (block.type === 'text') {
      send({ type: 'content_block_start', index, content_block: { type: 'text', text: '' } });
      for (const token of tokensOf(block.text)) send({ type: 'content_block_delta', index, delta: { type: 'text_delta', text: token } });
    } else {
      send({ type: 'content_block_start', index, content_block: { ...block, input: {} } });
      send({ type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json: JSON.stringify(block.input) } });
    }
    send({ type: 'content_block_stop', index });
  });
  send({ type: 'message_delta', delta: { stop_reason: stopReasonOf(reply), stop_sequence: null }, usage: { output_tokens: usage.output_tokens } });
  send({ type: 'message_stop' });
  events.end();
}

let sequence = 0;

const protocol: ProviderProtocol = {
  authorized: (request, apiKey) => request.headers['x-api-key'] === apiKey,
  sendError: (res, status, message) => {
    const type = status === 401 ? 'authentication_error' : status === 429 ? 'rate_limit_error' : status >= 500 ? 'api_error' : 'invalid_request_error';
    sendJson(res, status, { type: 'error', error: { type, message } });
  },
  lastUserText: (body) => textOf((body as unknown as AnthropicRequest).messages.filter((message) => message.role === 'user').at(-1)?.content),
  answer(request, res, nextReply) {
    if (request.method !== 'POST' || request.path !== '/v1/messages') return false;
    const body = request.body as unknown as AnthropicRequest;
    const reply = nextReply();
    const id = `msg_${++sequence}`;
    if (body.stream) streamMessage(res, id, body, reply);
    else sendJson(res, 200, { id, type: 'message', role: 'assistant', model: body.model, content: blocksOf(reply, id), stop_reason: stopReasonOf(reply), stop_sequence: null, usage: usageOf(body, reply) });
    return true;
  },
};

export const startAnthropicCompatibleServer = (options: { apiKey?: string } = {}): Promise<FakeProviderServer> =>
  startFakeProvider(protocol, { apiKey: options.apiKey ?? 'sk-ant-test-local' });

export const anthropicRequests = (server: FakeProviderServer): AnthropicRequest[] =>
  server.requests.filter((request) => request.path === '/v1/messages').map((request) => request.body as unknown as AnthropicRequest);
