import { z } from 'zod';
import type { MemoryNodeDefinition } from '../node-definition';

/** What every memory node shares: it is configured, never run, and its one output goes to an LLM's Memory handle. */
export function defineMemoryNode<Schema extends z.ZodType>(
  definition: Pick<MemoryNodeDefinition<Schema>, 'type' | 'version' | 'label' | 'description' | 'config' | 'memory'>,
): MemoryNodeDefinition<Schema> {
  return {
    kind: 'memory',
    category: 'ai',
    output: z.object({}).describe('nothing: the node configures the memory of the LLM Chat or Agent it is connected to'),
    inputs: [],
    outputs: [{ id: 'memory', label: 'Memory' }],
    ...definition,
  };
}

/** The input handle of LLM Chat and Agent that takes one memory node. */
export const MEMORY_HANDLE = { id: 'memory', label: 'Memory', accepts: 'memory', maxConnections: 1 } as const;
