import { ApplicationFailure } from '@temporalio/activity';
import type { AIMessageChunk } from '@langchain/core/messages';
import { z } from 'zod';
import { widget } from '../../contract/widgets';
import { openLiveTokenStream } from '../llm/live-token-stream';
import { memoryConfigSchema, openMemory } from '../llm/memory-messages';
import { MEMORY_HANDLE } from '../llm/memory-node';
import { addTokenUsage, tokenUsageOf, tokenUsageSchema } from '../llm/token-usage';
import { providerFailure } from '../llm/provider-client';
import { providerDeadline } from '../llm/provider-deadline';
import { chatCredentialKinds, chatProviderFor } from '../llm/providers/registry';
import { finishReasonOf, modelNameOf } from '../llm/reply-metadata';
import { DEFAULT_RETRY, defineTaskNode } from '../node-definition';
import { requiredCredentialIdSchema, type ResolvedCredential } from '../credential-kinds';
import type { ChatProvider } from '../llm/providers/model-provider';

const LABEL = 'LLM Chat';

const configSchema = z
  .object({
    credentialId: requiredCredentialIdSchema('the model provider’s credential: OpenAI-compatible (OpenAI, vLLM, LM Studio, …), Anthropic, Google Gemini, Ollama, Mistral or Groq'),
    model: z.string().trim().min(1).max(200).default('gpt-4o-mini'),
    temperature: z.number().min(0).max(2).optional(),
    maxTokens: z.number().int().min(1).max(1_000_000).optional().describe('upper bound on the answer’s tokens'),
    systemPrompt: z.string().max(200_000).meta(widget('multiline')).optional(),
    prompt: z.string().min(1, 'must not be empty').max(1_000_000).meta(widget('multiline')).describe('the user message, e.g. {{ input.question }}'),
    outputSchema: z
      .record(z.string(), z.unknown())
      .refine((schema) => schema.type === 'object', 'must be a JSON Schema with "type": "object"')
      .optional()
      .describe('a JSON Schema: the model answers with a JSON object that follows it, output as `object` instead of `text` (OpenAI-compatible, Ollama, Mistral; Groq: any JSON object)'),
    memory: memoryConfigSchema,
  })
  .strict();

export const llmChatNode = defineTaskNode({
  type: 'llm-chat',
  version: 1,
  category: 'ai',
  label: LABEL,
  keywords: ['ai', 'gpt', 'chat', 'prompt', 'model'],
  description:
    'Asks a chat model of the credential’s provider (OpenAI-compatible, Anthropic, Gemini, Ollama, Mistral, Groq). ' +
    'Tokens stream to the run’s live events as they arrive; rate limits (429, honouring Retry-After), provider ' +
    'errors (5xx) and a provider that does not answer within the node’s timeout are retried by the node’s retry ' +
    'policy; a rejected credential or an answer that is not valid JSON fails at once.',
  config: configSchema,
  output: z.object({
    text: z.string().optional().describe('the answer, without an output schema'),
    object: z.record(z.string(), z.unknown()).optional().describe('the answer, with an output schema'),
    usage: tokenUsageSchema,
    finishReason: z.string().nullable(),
    model: z.string(),
  }),
  inputs: [{ id: 'in', label: 'Input' }, MEMORY_HANDLE],
  outputs: [{ id: 'out', label: 'Answer' }],
  credentialKinds: chatCredentialKinds,
  retry: { ...DEFAULT_RETRY, maximumAttempts: 4 },
  // Streaming answers can be long; the heartbeat lets a dead worker's attempt be retried within a minute.
  timeouts: { startToClose: '10m', heartbeat: '1m' },
  async run({ config, credential, fetch, signal: cancellation, attempt, services, run, node }) {
    const { credential: modelCredential, provider } = chatProviderFor(credential, LABEL);
    const jsonObject = config.outputSchema ? jsonObjectOptionsOf(provider, config.outputSchema, modelCredential) : undefined;
    const model = provider.chatModel(modelCredential, { model: config.model, temperature: config.temperature, maxTokens: config.maxTokens, fetch });
    const stream = openLiveTokenStream(services.events, run, node.id, attempt);
    const deadline = providerDeadline(cancellation);
    const { signal } = deadline;
    let reply: AIMessageChunk | undefined;
    let memory: Awaited<ReturnType<typeof openMemory>>;
    try {
      memory = await openMemory({ config: config.memory, memory: services.memory, model, nodeLabel: LABEL, run, node, signal });
      const messages = memory.conversation(config.systemPrompt, config.prompt);
      for await (const chunk of await model.stream(messages, { signal, ...jsonObject })) {
        reply = reply ? reply.concat(chunk) : chunk;
        if (chunk.text) stream.token(chunk.text);
      }
    } catch (error) {
      throw providerFailure(error, modelCredential, { model: config.model, deadline });
    } finally {
      await stream.close();
    }
    const text = reply?.text ?? '';
    const finishReason = finishReasonOf(reply);
    const answer = config.outputSchema ? { object: parseObject(text, finishReason) } : { text };
    await memory.record([
      { role: 'user', content: config.prompt },
      { role: 'assistant', content: text },
    ]);
    return {
      ...answer,
      usage: addTokenUsage(tokenUsageOf(reply), memory.usage),
      finishReason,
      model: modelNameOf(reply) ?? config.model,
    };
  },
});

function jsonObjectOptionsOf(provider: ChatProvider, schema: Record<string, unknown>, credential: ResolvedCredential): Record<string, unknown> {
  if (provider.jsonObjectOptions) return provider.jsonObjectOptions(schema);
  throw ApplicationFailure.create({
    message: `config.outputSchema: the ${credential.kind} provider has no JSON output mode here; remove the schema or use an OpenAI-compatible, Ollama, Mistral or Groq credential`,
    type: 'InvalidNodeConfig',
    nonRetryable: true,
  });
}

/** A model asked for JSON may still stop early (max tokens) or ignore the format; another attempt may do better. */
function parseObject(text: string, finishReason: string | null): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  throw ApplicationFailure.create({
    message: `the model's answer is not a JSON object (finish reason ${finishReason ?? 'unknown'}): ${text.slice(0, 200)}`,
    type: 'LlmOutputNotJson',
  });
}
