import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ChatReply, ErrorFault } from './openai-compatible-server';
import { serveOnLoopback } from './loopback-server';

/**
 * What every local model-provider server here shares: a loopback port, the requests recorded, the key checked,
 * scripted replies and faults queued. Each protocol (Anthropic, Gemini, Ollama) says how the key travels, how an
 * error is shaped and how a request is answered; the real LangChain clients talk to it over HTTP.
 */

export interface ProviderRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: Record<string, unknown>;
}

export interface ProviderProtocol {
  /** Whether the request carries `apiKey` the way the provider expects it. */
  authorized(request: ProviderRequest, apiKey: string): boolean;
  sendError(res: ServerResponse, status: number, message: string): void;
  /** The text of the last user message, echoed when no reply is scripted. */
  lastUserText(body: Record<string, unknown>): string;
  /** Answers the request, taking the reply to give from `nextReply`; false when no route matches. */
  answer(request: ProviderRequest, res: ServerResponse, nextReply: () => ChatReply): boolean | Promise<boolean>;
}

export interface FakeProviderServer {
  /** `http://127.0.0.1:<port>`, the credential's base URL. */
  baseUrl: string;
  apiKey: string;
  requests: ProviderRequest[];
  /** Replies used, in order, by the next chat requests before the default (echo the last user message). */
  enqueueChat(...replies: ChatReply[]): void;
  /** Errors answered, in order, by the next requests before any reply. */
  enqueueFault(...faults: ErrorFault[]): void;
  close(): Promise<void>;
}

export async function startFakeProvider(protocol: ProviderProtocol, options: { apiKey: string }): Promise<FakeProviderServer> {
  const requests: ProviderRequest[] = [];
  const scripted: ChatReply[] = [];
  const faults: ErrorFault[] = [];
  const server = await serveOnLoopback((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://local');
      const request: ProviderRequest = { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: req.headers, body: await readJson(req) };
      requests.push(request);
      if (!protocol.authorized(request, options.apiKey)) return protocol.sendError(res, 401, 'invalid api key');
      const fault = faults.shift();
      if (fault) {
        if (fault.retryAfter !== undefined) res.setHeader('retry-after', String(fault.retryAfter));
        return protocol.sendError(res, fault.status, fault.message ?? `status ${fault.status}`);
      }
      const answered = await protocol.answer(request, res, () => scripted.shift() ?? { content: `You said: ${protocol.lastUserText(request.body)}` });
      if (!answered) protocol.sendError(res, 404, `no route ${request.method} ${request.path}`);
    })().catch((error: unknown) => protocol.sendError(res, 500, String(error)));
  });
  return {
    baseUrl: server.url,
    apiKey: options.apiKey,
    requests,
    enqueueChat: (...replies) => void scripted.push(...replies),
    enqueueFault: (...added) => void faults.push(...added),
    close: () => server.close(),
  };
}

/** Server-sent events: `event:` lines where the protocol names its events (Anthropic), bare `data:` otherwise (Gemini). */
export function openEventStream(res: ServerResponse): { send(data: unknown, event?: string): void; end(): void } {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  return {
    send: (data, event) => void res.write(`${event ? `event: ${event}\n` : ''}data: ${JSON.stringify(data)}\n\n`),
    end: () => void res.end(),
  };
}

/** A request's JSON body; an empty body reads as `{}`. */
export async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}
