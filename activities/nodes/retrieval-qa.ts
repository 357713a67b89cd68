import { ApplicationFailure } from '@temporalio/activity';
import { HumanMessage, SystemMessage } from '@langchain/core/messages';
import { z } from 'zod';
import { widget } from '../../contract/widgets';
import { documentsFrom } from '../documents/documents-io';
import { providerFailure } from '../llm/provider-client';
import { chatCredentialKinds, chatProviderFor } from '../llm/providers/registry';
import { providerDeadline } from '../llm/provider-deadline';
import { tokenUsageOf, tokenUsageSchema } from '../llm/token-usage';
import { DEFAULT_RETRY, defineTaskNode } from '../node-definition';
import { citationsIn, numberedContext } from '../retrieval/citations';
import { requiredCredentialIdSchema } from '../credential-kinds';

const DEFAULT_INSTRUCTIONS =
  'Answer the question using only the numbered context. After each statement, cite the context blocks it comes from ' +
  "as [n]. If the context does not contain the answer, say you don't know.";

const configSchema = z
  .object({
    question: z.string().min(1).max(10_000).meta(widget('multiline')).describe('e.g. {{ input.question }}'),
    model: z.string().min(1).max(200).default('gpt-4o-mini'),
    temperature: z.number().min(0).max(2).default(0),
    maxTokens: z.number().int().min(1).max(32_000).optional(),
    instructions: z.string().min(1).max(10_000).meta(widget('multiline')).default(DEFAULT_INSTRUCTIONS).describe('the system prompt'),
    maxChunks: z.number().int().min(1).max(50).default(8).describe('context chunks given to the model at most, in the order they arrive'),
    credentialId: requiredCredentialIdSchema('the model provider’s credential: OpenAI-compatible, Anthropic, Google Gemini, Ollama, Mistral or Groq'),
  })
  .strict();

export const retrievalQaNode = defineTaskNode({
  type: 'retrieval-qa',
  version: 1,
  category: 'ai',
  label: 'Retrieval QA',
  description:
    'Answers a question from retrieved chunks: they are numbered in the prompt, the model cites them as [n], and ' +
    'the output lists each cited chunk (its source document, chunk id and position, and text).',
  config: configSchema,
  output: z.object({
    answer: z.string(),
    citations: z.array(
      z.object({
        n: z.number().describe('the [n] the answer cites'),
        id: z.string(),
        chunkId: z.string().describe('the splitter’s id of the chunk, e.g. handbook.txt#0'),
        chunk: z.number().optional().describe('its position in the source document'),
        source: z.string().optional(),
        text: z.string(),
      }),
    ),
    usage: tokenUsageSchema,
  }),
  inputs: [{ id: 'in', label: 'Context documents' }],
  outputs: [{ id: 'out', label: 'Answer' }],
  credentialKinds: chatCredentialKinds,
  retry: { ...DEFAULT_RETRY, maximumAttempts: 5 },
  timeouts: { startToClose: '5m' },
  async run({ config, incoming, node, credential: given, fetch, signal }) {
    const { credential, provider } = chatProviderFor(given, node.label);
    const chunks = documentsFrom(incoming, node.label).slice(0, config.maxChunks);
    const model = provider.chatModel(credential, { model: config.model, temperature: config.temperature, maxTokens: config.maxTokens, fetch });
    const prompt = [new SystemMessage(config.instructions), new HumanMessage(`Context:\n\n${numberedContext(chunks)}\n\nQuestion: ${config.question}`)];
    const deadline = providerDeadline(signal);
    let reply;
    try {
      reply = await model.invoke(prompt, { signal: deadline.signal });
    } catch (error) {
      throw providerFailure(error, credential, { model: config.model, deadline });
    }
    if (typeof reply.content !== 'string') {
      throw ApplicationFailure.create({ message: `${node.label}: the model answered no text`, type: 'ProviderResponseInvalid', nonRetryable: true });
    }
    return { answer: reply.content, citations: citationsIn(reply.content, chunks), usage: tokenUsageOf(reply) };
  },
});
