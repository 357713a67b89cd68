import { z } from 'zod';
import { memoryWindowSchema, sessionIdSchema } from '../llm/memory-messages';
import { defineMemoryNode } from '../llm/memory-node';

export const memoryBufferWindowNode = defineMemoryNode({
  type: 'memory-buffer-window',
  version: 1,
  label: 'Buffer Window Memory',
  description:
    'Conversation memory for the LLM Chat or Agent it is connected to: the last turns of the session, sent as they ' +
    'are. Runs with the same session id share the conversation.',
  config: z.object({ sessionId: sessionIdSchema.min(1, 'must not be empty'), window: memoryWindowSchema }).strict(),
  memory: { kind: 'buffer' },
});
