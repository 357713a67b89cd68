import { z } from 'zod';

/** Tokens a model call used, as the provider counted them: one shape in every AI node's output. */
export const tokenUsageSchema = z.object({
  inputTokens: z.number().int().describe('tokens sent: prompt, memory and tool results'),
  outputTokens: z.number().int().describe('tokens the model answered'),
  totalTokens: z.number().int(),
});
export type TokenUsage = z.infer<typeof tokenUsageSchema>;

export const NO_TOKENS: TokenUsage = { inputTokens: 0, outputTokens: 0, totalTokens: 0 };

interface ReportedUsage {
  input_tokens?: number;
  output_tokens?: number;
  total_tokens?: number;
  prompt_tokens?: number;
  completion_tokens?: number;
}

/**
 * A reply's `usage_metadata` as {@link TokenUsage} (zeros where the provider sent none). A streamed Groq reply has
 * none: @langchain/groq leaves the counts in `response_metadata.usage`, in LangChain's words (from Groq's `x_groq`)
 * or OpenAI's (prompt_tokens, completion_tokens).
 */
export function tokenUsageOf(reply: { usage_metadata?: ReportedUsage; response_metadata?: Record<string, unknown> } | undefined): TokenUsage {
  const usage = reply?.usage_metadata ?? (reply?.response_metadata?.usage as ReportedUsage | undefined);
  const inputTokens = usage?.input_tokens ?? usage?.prompt_tokens ?? 0;
  const outputTokens = usage?.output_tokens ?? usage?.completion_tokens ?? 0;
  return { inputTokens, outputTokens, totalTokens: usage?.total_tokens ?? inputTokens + outputTokens };
}

export function addTokenUsage(a: TokenUsage, b: TokenUsage): TokenUsage {
  return { inputTokens: a.inputTokens + b.inputTokens, outputTokens: a.outputTokens + b.outputTokens, totalTokens: a.totalTokens + b.totalTokens };
}
