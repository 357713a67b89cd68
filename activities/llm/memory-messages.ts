import { ApplicationFailure } from '@temporalio/activity';
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { AIMessage, HumanMessage, SystemMessage, type BaseMessage } from '@langchain/core/messages';
import { z } from 'zod';
import { stringify } from '../../engine/templates';
import { NO_TOKENS, tokenUsageOf, type TokenUsage } from './token-usage';
import { newestWithinTokens } from './token-budget';
import type { ConversationMemory, ConversationTurn, MemoryScope, MemoryWriter } from '../services/conversation-memory';

/**
 * Conversation memory for LLM nodes (LLM Chat, Agent), in two steps:
 *
 * ```ts
 * const memory = await openMemory({ config: config.memory, memory: services.memory, model, nodeLabel, run, node });
 * const messages = memory.conversation(systemPrompt, prompt);
 * // … call the model …
 * await memory.record([{ role: 'user', content: prompt }, { role: 'assistant', content: answer }]);
 * ```
 *
 * `none` gives no messages and records nothing. `buffer` gives the session's last `window` turns, `token-buffer` the
 * newest turns that fit in `maxTokens` (counted by {@link countTokens}, of the turns' text). `summary` gives
 * them too, and a summary of everything older in the system message (one system message: several chat templates
 * refuse a second one): turns that have left the window since the last summary are folded into it by `model`
 * first, and the summary is stored for later runs. Turns a node records replace the ones
 * it recorded in an earlier attempt of the same run, and a node never reads its own turns back.
 * Errors from `model` are thrown as they are: translate them as the node's other provider calls (providerFailure).
 */

/** The most turns a window holds, and how far back token-buffer memory looks for turns that fit its budget. */
const MAX_WINDOW_TURNS = 200;

/** The fields memory nodes share with the memory setting of LLM Chat and Agent. */
export const sessionIdSchema = z.string().trim().max(200).describe('runs with the same session id share a conversation, e.g. {{ input.sessionId }}');
export const memoryWindowSchema = z.number().int().min(1).max(MAX_WINDOW_TURNS).default(10).describe('how many recent turns (messages) are sent as they are');
export const memoryMaxTokensSchema = z.number().int().min(1).max(1_000_000).describe('the recent turns sent are the newest that fit in this many tokens');

export const memoryConfigSchema = z
  .object({
    kind: z
      .enum(['none', 'buffer', 'token-buffer', 'summary'])
      .default('none')
      .describe('buffer: the last turns; token-buffer: the last turns up to a token budget; summary: the last turns and a summary of the older ones'),
    sessionId: sessionIdSchema.optional(),
    window: memoryWindowSchema,
    maxTokens: memoryMaxTokensSchema.optional().describe('for token-buffer memory: the newest turns that fit in this many tokens'),
  })
  .strict()
  .superRefine((memory, context) => {
    if (memory.kind !== 'none' && !memory.sessionId) context.addIssue({ code: 'custom', path: ['sessionId'], message: `required for ${memory.kind} memory` });
    if (memory.kind === 'token-buffer' && memory.maxTokens === undefined) context.addIssue({ code: 'custom', path: ['maxTokens'], message: 'required for token-buffer memory' });
  })
  .default({ kind: 'none', window: 10 });
export type MemoryConfig = z.output<typeof memoryConfigSchema>;

export interface OpenMemoryOptions {
  config: MemoryConfig;
  memory: ConversationMemory | undefined;
  /** Writes the summaries of summary memory. */
  model: BaseChatModel;
  nodeLabel: string;
  run: { runId: string; workspaceId?: string };
  node: { id: string };
  signal?: AbortSignal;
}

export interface OpenedMemory {
  /** The messages to send: one system message (the system prompt and any summary), the recent turns oldest first, the prompt. */
  conversation(systemPrompt: string | undefined, prompt: string): BaseMessage[];
  /** What writing the summary cost: it is the node's model call too, so the node counts it in its usage. */
  usage: TokenUsage;
  record(turns: ConversationTurn[]): Promise<void>;
}

const SUMMARY_INSTRUCTIONS =
  'You keep a running summary of a conversation. Merge the existing summary and the new lines into one concise summary ' +
  'that keeps names, facts, decisions and open questions. Answer with the summary only.';

export async function openMemory(options: OpenMemoryOptions): Promise<OpenedMemory> {
  const { config } = options;
  if (config.kind === 'none' || !config.sessionId) return { conversation: (system, prompt) => conversationMessages(system, [], prompt), usage: NO_TOKENS, record: async () => undefined };
  const memory = options.memory;
  if (!memory) {
    throw ApplicationFailure.create({
      message: `${options.nodeLabel} uses ${config.kind} memory, which needs a database: this worker runs without one`,
      type: 'ServiceUnavailable',
      nonRetryable: true,
    });
  }
  const scope: MemoryScope = { workspaceId: options.run.workspaceId, sessionId: config.sessionId };
  const writer: MemoryWriter = { runId: options.run.runId, nodeId: options.node.id };
  const byTokens = config.kind === 'token-buffer';
  const window = await memory.load(scope, { window: byTokens ? MAX_WINDOW_TURNS : config.window, writer, withUnsummarised: config.kind === 'summary' });
  let summary = window.summary;
  let usage = NO_TOKENS;
  if (config.kind === 'summary' && window.unsummarised.length > 0 && window.unsummarisedThrough !== undefined) {
    ({ summary, usage } = await summarise(options.model, summary, window.unsummarised, options.signal));
    await memory.saveSummary(scope, summary, window.unsummarisedThrough);
  }
  const earlier = config.kind === 'summary' && summary ? `Summary of the earlier conversation:\n${summary}` : undefined;
  const recent = byTokens ? newestWithinTokens(window.turns, config.maxTokens ?? 0) : window.turns;
  const turns = recent.map((turn) => (turn.role === 'user' ? new HumanMessage(turn.content) : new AIMessage(turn.content)));
  return {
    conversation: (system, prompt) => conversationMessages([system, earlier].filter(Boolean).join('\n\n') || undefined, turns, prompt),
    usage,
    record: (turns) => memory.append(scope, writer, turns),
  };
}

function conversationMessages(system: string | undefined, turns: BaseMessage[], prompt: string): BaseMessage[] {
  return [...(system ? [new SystemMessage(system)] : []), ...turns, new HumanMessage(prompt)];
}

async function summarise(model: BaseChatModel, previous: string | undefined, turns: ConversationTurn[], signal?: AbortSignal): Promise<{ summary: string; usage: TokenUsage }> {
  const lines = turns.map((turn) => `${turn.role === 'user' ? 'User' : 'Assistant'}: ${turn.content}`).join('\n');
  const reply = await model.invoke(
    [new SystemMessage(SUMMARY_INSTRUCTIONS), new HumanMessage(`Existing summary:\n${previous ?? '(none)'}\n\nNew lines:\n${lines}`)],
    { signal },
  );
  return { summary: stringify(reply.content).trim(), usage: tokenUsageOf(reply) };
}
