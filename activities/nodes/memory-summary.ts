import { z } from 'zod';
import { memoryWindowSchema, sessionIdSchema } from '../llm/memory-messages';
import { defineMemoryNode } from '../llm/memory-node';

export const memorySummaryNode = defineMemoryNode({
  type: 'memory-summary',
  version: 1,
  label: 'Summary Memory',
  description:
    'Conversation memory for the LLM Chat or Agent it is connected to: the last turns of the session as they are, and ' +
    'a running summary of the older ones, written by the same model (its tokens count in the node’s usage).',
  config: z.object({ sessionId: sessionIdSchema.min(1, 'must not be empty'), window: memoryWindowSchema }).strict(),
  memory: { kind: 'summary' },
});
