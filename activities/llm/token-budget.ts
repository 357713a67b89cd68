import { getEncoding, type Tiktoken } from 'js-tiktoken';
import type { ConversationTurn } from '../services/conversation-memory';

/**
 * Token counts for token-buffer memory. Providers tokenize differently; cl100k_base (GPT-4, GPT-3.5) is a close
 * enough measure for a budget, and js-tiktoken's full build carries it, so nothing is downloaded.
 */
let encoder: Tiktoken | undefined;

export function countTokens(text: string): number {
  encoder ??= getEncoding('cl100k_base');
  return encoder.encode(text).length;
}

/** The newest turns whose text fits in `maxTokens` together, oldest first; a turn that does not fit ends the window. */
export function newestWithinTokens(turns: ConversationTurn[], maxTokens: number): ConversationTurn[] {
  let used = 0;
  let start = turns.length;
  while (start > 0) {
    const cost = countTokens(turns[start - 1].content);
    if (used + cost > maxTokens) break;
    used += cost;
    start -= 1;
  }
  return turns.slice(start);
}
