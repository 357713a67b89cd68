import { z } from 'zod';
import { memoryMaxTokensSchema, sessionIdSchema } from '../llm/memory-messages';
import { defineMemoryNode } from '../llm/memory-node';

export const memoryTokenBufferNode = defineMemoryNode({
  type: 'memory-token-buffer',
  version: 1,
  label: 'Token Buffer Memory',
  description:
    'Conversation memory for the LLM Chat or Agent it is connected to: the newest turns of the session that fit in a ' +
    'token budget (counted with the cl100k_base tokenizer, close to most models’). Runs with the same session id ' +
    'share the conversation.',
  config: z.object({ sessionId: sessionIdSchema.min(1, 'must not be empty'), maxTokens: memoryMaxTokensSchema.default(2000) }).strict(),
  memory: { kind: 'token-buffer' },
});
