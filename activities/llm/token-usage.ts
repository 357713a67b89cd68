/** Tokens a model call used, as the provider counted them. */
export interface TokenUsage {
  input: number;
  output: number;
  total: number;
}

export const NO_TOKENS: TokenUsage = { input: 0, output: 0, total: 0 };

/** A reply's `usage_metadata` as {@link TokenUsage} (zeros where the provider sent none). */
export function tokenUsageOf(reply: { usage_metadata?: { input_tokens: number; output_tokens: number; total_tokens: number } } | undefined): TokenUsage {
  const usage = reply?.usage_metadata;
  return { input: usage?.input_tokens ?? 0, output: usage?.output_tokens ?? 0, total: usage?.total_tokens ?? 0 };
}

export function addTokenUsage(a: TokenUsage, b: TokenUsage): TokenUsage {
  return { input: a.input + b.input, output: a.output + b.output, total: a.total + b.total };
}
