import { z } from 'zod';
import { widget } from '../../contract/widgets';
import { durationSchema, type TimeoutsConfig } from '../../engine/graph';
import { memoryConfigSchema } from '../llm/memory-messages';
import { MEMORY_HANDLE } from '../llm/memory-node';
import { chatCredentialKinds } from '../llm/providers/registry';
import { tokenUsageSchema } from '../llm/token-usage';
import { DEFAULT_RETRY, defineControlNode, type DefaultRetryPolicy } from '../node-definition';
import { requiredCredentialIdSchema } from '../credential-kinds';

/** Checked by every model call (templates resolved by then); the workflow reads the loop's bounds from it too. */
export const agentConfigSchema = z
  .object({
    credentialId: requiredCredentialIdSchema('the model provider’s credential: OpenAI-compatible, Anthropic, Google Gemini, Ollama, Mistral or Groq'),
    model: z.string().min(1).max(200).default('gpt-4o-mini'),
    temperature: z.number().min(0).max(2).optional(),
    maxTokens: z.number().int().min(1).max(200_000).optional().describe('per model call'),
    systemPrompt: z
      .string()
      .max(20_000)
      .meta(widget('multiline'))
      .default('You are a helpful assistant. Call the tools you are given when they help, then answer concisely.')
      .describe('templates allowed'),
    prompt: z.string().min(1).max(100_000).meta(widget('multiline')).describe('the task or question (templates allowed)'),
    memory: memoryConfigSchema.describe('conversation memory shared by runs with the same session id'),
    maxIterations: z.number().int().min(1).max(50).default(5).describe('model calls before the agent gives up without an answer'),
    timeBudget: durationSchema.default('5m').describe('wall-clock budget for every model and tool call together'),
  })
  .strict();
export type AgentConfig = z.output<typeof agentConfigSchema>;

/** How the model call is retried; the node's Reliability settings override it like any activity's. */
export const AGENT_MODEL_ACTIVITY = 'agent-model@1';
export const agentModelRetry: DefaultRetryPolicy = {
  ...DEFAULT_RETRY,
  maximumAttempts: 4,
  nonRetryableErrorTypes: ['InvalidNodeConfig', 'InvalidCredential', 'ProviderAuthenticationError', 'ProviderRequestError'],
};
export const agentModelTimeouts: TimeoutsConfig = { startToClose: '2m' };

export const agentNode = defineControlNode({
  kind: 'agent',
  type: 'agent',
  version: 1,
  category: 'ai',
  label: 'Agent',
  description:
    'A tool-calling (ReAct) agent: the model is asked the prompt, may call the nodes connected to the Tools handle, ' +
    'sees their results and answers. Every model call and tool call is an activity of its own; a failing tool hands ' +
    'its error to the model instead of failing the run. Bounded by max iterations and a time budget.',
  config: agentConfigSchema,
  output: z.object({
    answer: z.string(),
    steps: z.array(
      z.object({
        iteration: z.number(),
        toolCalls: z.array(z.object({ tool: z.string(), arguments: z.unknown(), result: z.unknown().optional(), error: z.string().optional() })),
      }),
    ),
    usage: tokenUsageSchema,
    iterations: z.number(),
  }),
  inputs: [
    { id: 'in', label: 'Input' },
    { id: 'tools', label: 'Tools', accepts: 'tool' },
    MEMORY_HANDLE,
  ],
  outputs: [{ id: 'out', label: 'Answer' }],
  // Loaded by each model call (activities/llm/agent-model.ts), not before the node as a task node's is.
  credentialKinds: chatCredentialKinds,
});
