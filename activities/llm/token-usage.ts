import { z } from 'zod';

/** Tokens a model call used, as the provider counted them: one shape in every AI node's output. */
export const tokenUsageSchema = z.object({
  inputTokens: z.number().int().describe('tokens sent: prompt, memory and tool results'),
  outputTokens: z.number().int().describe('tokens the model answered'),
  totalTokens: z.number().int(),
});
export type TokenUsage = z.infer<typeof tokenUsageSchema>;

export const NO_TOKENS: TokenUsage = { inputTokens: 0, outputTokens: 0, totalTokens: 0 };

/** A reply's `usage_metadata` as {@link TokenUsage} (zeros where the provider sent none). */
export function tokenUsageOf(reply: { usage_metadata?: { input_tokens: number; output_tokens: number; total_tokens: number } } | undefined): TokenUsage {
  const usage = reply?.usage_metadata;
  return { inputTokens: usage?.input_tokens ?? 0, outputTokens: usage?.output_tokens ?? 0, totalTokens: usage?.total_tokens ?? 0 };
}

export function addTokenUsage(a: TokenUsage, b: TokenUsage): TokenUsage {
  return { inputTokens: a.inputTokens + b.inputTokens, outputTokens: a.outputTokens + b.outputTokens, totalTokens: a.totalTokens + b.totalTokens };
}
