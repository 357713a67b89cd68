import { z } from 'zod';
import { retryPolicySchema, timeoutsSchema } from '../engine/graph';

/** Request and response shapes of /api/v1/nodes: the node types a graph may use, with the schemas of their forms. */

const jsonSchemaDto = z.record(z.string(), z.unknown()).describe('a JSON Schema (draft 2020-12)');

export const nodeTypeDto = z.object({
  type: z.string(),
  version: z.number().int(),
  versions: z.array(z.number().int()).describe('every version of this type the engine still runs, oldest first'),
  category: z.string(),
  label: z.string(),
  keywords: z.array(z.string()).describe('other words the node is searched by in the palette, e.g. "if" for Condition'),
  description: z.string(),
  kind: z.string().describe('task: runs as a Temporal activity; anything else is carried out by the workflow itself'),
  handles: z.object({
    inputs: z.array(
      z.object({
        id: z.string(),
        label: z.string(),
        accepts: z.enum(['tool', 'memory']).optional().describe('tool: only nodes with `tool` set may connect here; memory: only nodes with `memory` set'),
        maxConnections: z.number().int().optional().describe('at most this many edges may end here'),
      }),
    ),
    outputs: z.array(z.object({ id: z.string(), label: z.string() })),
  }),
  tool: z
    .object({ description: z.string(), argumentsSchema: jsonSchemaDto, settingsSchema: jsonSchemaDto.describe('schema of data.toolDescription') })
    .nullable()
    .describe('set when the node can be connected to an Agent as a tool; the model fills in argumentsSchema'),
  memory: z
    .object({ kind: z.enum(['buffer', 'token-buffer', 'summary']) })
    .nullable()
    .describe("set for memory nodes: configured only, they connect to an LLM Chat's or Agent's Memory input"),
  credentialKinds: z.array(z.string()).describe('kinds of credential data.config.credentialId may name'),
  retry: retryPolicySchema.nullable().describe('default retry policy; null for nodes that are not activities'),
  timeouts: timeoutsSchema.nullable().describe('default activity timeouts; null for nodes that are not activities'),
  configSchema: jsonSchemaDto.describe(
    'schema of data.config as sent (fields with defaults are optional); a string holding a {{ template }} may stand in for any field and is checked when the node runs',
  ),
  outputSchema: jsonSchemaDto.describe('what the node outputs, for templates such as {{ nodes.<id>.output.field }}'),
  reliabilitySchema: jsonSchemaDto
    .nullable()
    .describe('schema of data.retry, data.timeouts and data.continueOnError ("Reliability"); null for nodes that are not activities'),
});
export type NodeTypeDto = z.infer<typeof nodeTypeDto>;

export const nodeCategoriesDto = z.record(z.string(), z.object({ label: z.string(), count: z.number().int().describe('node types in the category') }));
export type NodeCategoriesDto = z.infer<typeof nodeCategoriesDto>;

export const nodeTypeParams = z.object({ type: z.string().min(1).max(64) }).strict();
export const nodeTypeQuery = z.object({ version: z.coerce.number().int().min(1).optional().describe('defaults to the latest') }).strict();
