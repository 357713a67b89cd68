import { startFakeProvider, openEventStream, type FakeProviderServer, type ProviderProtocol } from './fake-provider-server';
import { sendJson } from './http-fixture';
import { countTokens, hashVector, tokensOf, type ChatReply } from './openai-compatible-server';

/**
 * A local server speaking Google's Gemini API (v1beta, the key in x-goog-api-key): models/{model}:generateContent,
 * :streamGenerateContent?alt=sse (one candidate chunk per token, functionCall parts, usage on the last chunk),
 * :embedContent and :batchEmbedContents (deterministic vectors from the text's hash), as @google/generative-ai
 * calls them.
 */

interface Part {
  text?: string;
  functionCall?: { name: string; args: Record<string, unknown> };
  functionResponse?: { name: string; response: unknown };
}

export interface GeminiRequest {
  contents: { role: string; parts: Part[] }[];
  systemInstruction?: { parts: Part[] } | string;
  tools?: { functionDeclarations?: { name: string; description?: string; parameters?: unknown }[] }[];
  generationConfig?: Record<string, unknown>;
}

const ROUTE = /^\/v1beta\/models\/([^/:]+):(generateContent|streamGenerateContent|embedContent|batchEmbedContents)$/;
const EMBEDDING_DIMENSIONS = 8;

const textOf = (parts: Part[] | undefined) => (parts ?? []).map((part) => part.text ?? '').join('');

function usageOf(request: GeminiRequest, reply: ChatReply) {
  const system = typeof request.systemInstruction === 'string' ? request.systemInstruction : textOf(request.systemInstruction?.parts);
  const prompt = countTokens(system) + request.contents.reduce((sum, content) => sum + countTokens(textOf(content.parts)), 0);
  const candidates = countTokens(reply.content ?? '') + (reply.toolCalls?.length ?? 0);
  return { promptTokenCount: prompt, candidatesTokenCount: candidates, totalTokenCount: prompt + candidates };
}

function candidate(parts: Part[], finishReason?: string) {
  return { candidates: [{ content: { role: 'model', parts }, index: 0, ...(finishReason ? { finishReason } : {}) }] };
}

const functionCallsOf = (reply: ChatReply): Part[] => (reply.toolCalls ?? []).map((call) => ({ functionCall: { name: call.name, args: call.arguments } }));
const finishReasonOf = (reply: ChatReply) => (reply.finishReason === 'length' ? 'MAX_TOKENS' : 'STOP');

const protocol: ProviderProtocol = {
  authorized: (request, apiKey) => request.headers['x-goog-api-key'] === apiKey,
  sendError: (res, status, message) => {
    const name = status === 401 ? 'UNAUTHENTICATED' : status === 429 ? 'RESOURCE_EXHAUSTED' : status >= 500 ? 'UNAVAILABLE' : 'INVALID_ARGUMENT';
    sendJson(res, status, { error: { code: status, message, status: name } });
  },
  lastUserText: (body) => textOf((body as unknown as GeminiRequest).contents.filter((content) => content.role === 'user').at(-1)?.parts),
  answer(request, res, nextReply) {
    const route = ROUTE.exec(request.path);
    if (request.method !== 'POST' || !route) return false;
    const [, model, method] = route;
    if (method === 'embedContent') {
      sendJson(res, 200, { embedding: { values: hashVector(textOf((request.body.content as { parts: Part[] }).parts), EMBEDDING_DIMENSIONS) } });
      return true;
    }
    if (method === 'batchEmbedContents') {
      const requests = request.body.requests as { content: { parts: Part[] } }[];
      sendJson(res, 200, { embeddings: requests.map((entry) => ({ values: hashVector(textOf(entry.content.parts), EMBEDDING_DIMENSIONS) })) });
      return true;
    }
    const body = request.body as unknown as GeminiRequest;
    const reply = nextReply();
    const usageMetadata = usageOf(body, reply);
    if (method === 'generateContent') {
      const parts = [...(reply.content ? [{ text: reply.content }] : []), ...functionCallsOf(reply)];
      sendJson(res, 200, { ...candidate(parts, finishReasonOf(reply)), usageMetadata, modelVersion: model });
      return true;
    }
    const events = openEventStream(res);
    for (const token of tokensOf(reply.content ?? '')) events.send({ ...candidate([{ text: token }]), modelVersion: model });
    events.send({ ...candidate(functionCallsOf(reply), finishReasonOf(reply)), usageMetadata, modelVersion: model });
    events.end();
    return true;
  },
};

export const startGeminiCompatibleServer = (options: { apiKey?: string } = {}): Promise<FakeProviderServer> =>
  startFakeProvider(protocol, { apiKey: options.apiKey ?? 'gemini-test-local' });

export const geminiChatRequests = (server: FakeProviderServer): GeminiRequest[] =>
  server.requests.filter((request) => /:(generateContent|streamGenerateContent)$/.test(request.path)).map((request) => request.body as unknown as GeminiRequest);
