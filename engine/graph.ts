import { z } from 'zod';
import { widget } from '../contract/widgets';
import { isDuration } from './duration';

/**
 * The saved graph: exactly the shape @xyflow/svelte keeps for nodes and edges, plus `version` on every node so a
 * saved node keeps running the node-type version it was drawn with.
 */

/** Node ids appear in templates (`{{ nodes.<id>.output }}`), so they are restricted to path-safe characters. */
export const durationSchema = z
  .union([z.number().int().nonnegative(), z.string().min(1).max(40)])
  .refine(isDuration, { message: 'expected milliseconds or a duration such as "30s", "5m", "2h" or "3d"' })
  .meta(widget('duration'));

export const nodeIdSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z_][A-Za-z0-9_-]*$/, 'must start with a letter or _ and hold only letters, digits, _ and -');

export const retryPolicySchema = z
  .object({
    maximumAttempts: z.number().int().min(1).max(100).optional(),
    initialInterval: durationSchema.optional(),
    backoffCoefficient: z.number().min(1).max(10).optional(),
    maximumInterval: durationSchema.optional(),
    nonRetryableErrorTypes: z.array(z.string().min(1)).max(50).optional(),
  })
  .strict();
export type RetryPolicyConfig = z.infer<typeof retryPolicySchema>;

export const timeoutsSchema = z
  .object({
    startToClose: durationSchema.optional(),
    scheduleToClose: durationSchema.optional(),
    heartbeat: durationSchema.optional(),
  })
  .strict();
export type TimeoutsConfig = z.infer<typeof timeoutsSchema>;

export const nodeDataSchema = z
  .object({
    /** The node type's own settings; checked against that type's schema. Strings may hold templates. */
    config: z.record(z.string(), z.unknown()).default({}),
    /** Overrides of the node type's default retry policy ("Reliability" on the canvas). */
    retry: retryPolicySchema.optional(),
    timeouts: timeoutsSchema.optional(),
    /** When true a failure (after retries) becomes the node's output instead of failing the run. */
    continueOnError: z.boolean().optional(),
    toolDescription: z
      .string()
      .trim()
      .min(1)
      .max(1000)
      .meta(widget('multiline'))
      .optional()
      .describe("what the Agent's model is told this tool does (when wired to an Agent's tool handle); left out, the node type's description"),
  })
  .strict();
export type NodeData = z.infer<typeof nodeDataSchema>;

/**
 * Sample output pinned on a draft's node: test runs take it instead of running the node. Production runs never see
 * it, as publishing leaves it out of the version.
 */
export const pinnedDataSchema = z
  .object({ output: z.unknown().describe('what the node hands on in test runs instead of running') })
  .strict()
  .refine((pinned) => 'output' in pinned, { message: 'a pin holds an output (null is one)' });
export type PinnedData = z.infer<typeof pinnedDataSchema>;

export const graphNodeSchema = z
  .object({
    id: nodeIdSchema,
    type: z.string().min(1).max(64),
    version: z.number().int().min(1),
    label: z.string().max(200).optional(),
    data: nodeDataSchema.default({ config: {} }),
    position: z.object({ x: z.number(), y: z.number() }).default({ x: 0, y: 0 }),
    pinned: pinnedDataSchema.optional(),
  })
  .strict();
export type GraphNode = z.infer<typeof graphNodeSchema>;

const handleSchema = z.string().min(1).max(64).nullish();

export const graphEdgeSchema = z
  .object({
    id: z.string().min(1).max(128),
    source: z.string().min(1),
    sourceHandle: handleSchema,
    target: z.string().min(1),
    targetHandle: handleSchema,
  })
  .strict();
export type GraphEdge = z.infer<typeof graphEdgeSchema>;

export const graphSchema = z
  .object({
    nodes: z.array(graphNodeSchema).max(1000),
    edges: z.array(graphEdgeSchema).max(5000).default([]),
  })
  .strict();
export type Graph = z.infer<typeof graphSchema>;
/** What a caller may send before defaults are applied (hand-written files omit positions and empty data). */
export type GraphInput = z.input<typeof graphSchema>;
