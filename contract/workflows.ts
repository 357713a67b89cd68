import { z } from 'zod';
import { graphSchema } from '../engine/graph';

/** Request and response shapes of /api/v1/workflows (drafts, published versions, export and import). */

const nameSchema = z.string().trim().min(1).max(200);
const descriptionSchema = z.string().max(5000);
const tagSchema = z
  .string()
  .trim()
  .min(1)
  .max(50)
  .regex(/^\P{Cc}+$/u, 'must not hold control characters');
/** Tags as a set: repeats are dropped, first spelling kept. */
const tagsSchema = z
  .array(tagSchema)
  .max(20)
  .transform((tags) => [...new Set(tags)]);

/**
 * A graph sent by a client is taken as any JSON here and checked as a whole by the graph validator, so every
 * problem (shape, node configs, edges, cycles, templates) comes back at once as `invalid_graph`.
 */
const graphInputSchema = z
  .unknown()
  .describe('a graph as the canvas saves it ({ nodes, edges }); a draft is saved with its problems, a graph not even of that shape answers 400 invalid_graph');

export const createWorkflowBody = z
  .object({
    name: nameSchema,
    description: descriptionSchema.optional(),
    tags: tagsSchema.optional(),
    graph: graphInputSchema.optional().describe('defaults to a graph holding one Start node'),
  })
  .strict();

export const updateWorkflowBody = z
  .object({ name: nameSchema.optional(), description: descriptionSchema.optional(), tags: tagsSchema.optional(), graph: graphInputSchema.optional() })
  .strict()
  .refine((body) => Object.keys(body).length > 0, { message: 'send at least one of name, description, tags, graph' });

export const listWorkflowsQuery = z
  .object({
    q: z.string().trim().min(1).max(200).optional().describe('part of the name, any case'),
    tag: tagSchema.optional().describe('only workflows carrying this tag'),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: z.string().min(1).max(500).optional().describe('nextCursor of the previous page'),
  })
  .strict();

export const userRefDto = z.object({ userId: z.uuid(), email: z.string() });

export const workflowSummaryDto = z.object({
  id: z.uuid(),
  name: z.string(),
  description: z.string(),
  tags: z.array(z.string()),
  latestVersion: z.number().int().nullable().describe('number of the newest published version; null before the first publish'),
  lastRun: z
    .object({ id: z.string(), status: z.string().describe('running, succeeded, failed, cancelled, terminated or timed_out'), startedAt: z.iso.datetime() })
    .nullable()
    .describe('the latest production run; test runs are left out'),
  createdBy: userRefDto,
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type WorkflowSummaryDto = z.infer<typeof workflowSummaryDto>;

export const graphProblemDto = z.object({
  path: z.string().describe('inside the graph, e.g. nodes.fetch.data.config.url; (graph) for the graph as a whole'),
  message: z.string(),
  nodeId: z.string().optional(),
  edgeId: z.string().optional(),
});

export const workflowDto = workflowSummaryDto.extend({
  graph: graphSchema.describe('the draft: what the next publish freezes (without pinned data)'),
  problems: z.array(graphProblemDto).describe('warnings: what keeps the draft from being published or test-run; empty when it is valid'),
});
export type WorkflowDto = z.infer<typeof workflowDto>;

export const workflowPageDto = z.object({
  items: z.array(workflowSummaryDto).describe('most recently updated first'),
  nextCursor: z.string().nullable().describe('pass as cursor for the next page; null on the last page'),
});

export const workflowParams = z.object({ workflowId: z.uuid() }).strict();
export const workflowVersionParams = z.object({ workflowId: z.uuid(), versionNumber: z.coerce.number().int().min(1) }).strict();

export const workflowVersionSummaryDto = z.object({ number: z.number().int(), createdAt: z.iso.datetime(), createdBy: userRefDto });
export type WorkflowVersionSummaryDto = z.infer<typeof workflowVersionSummaryDto>;
export const workflowVersionDto = workflowVersionSummaryDto.extend({ workflowId: z.uuid(), graph: graphSchema });
export type WorkflowVersionDto = z.infer<typeof workflowVersionDto>;

export const publishBody = z
  .object({ moveSchedules: z.boolean().default(false).describe("point the workflow's schedules at the new version") })
  .strict()
  .default({ moveSchedules: false });

export const publishedVersionDto = workflowVersionDto.extend({
  webhooks: z.array(z.object({ id: z.string(), nodeId: z.string(), path: z.string().describe('POST here to start a run') })),
  schedules: z.object({
    moved: z.array(z.string()).describe('schedules now starting this version'),
    onOlderVersions: z.array(z.string()).describe('schedules still starting an older version (publish with moveSchedules to move them)'),
  }),
});
export type PublishedVersionDto = z.infer<typeof publishedVersionDto>;

export const CREDENTIALS_NOTICE =
  'Credentials are not exported: nodes name them by id (data.config.credentialId), and those ids only resolve in a ' +
  'workspace holding credentials with the same ids. Point each such node at a credential of the importing workspace.';

/** The one-file form of a workflow; the same shape is exported and imported, with the graph typed or to be checked. */
function workflowDocumentSchema<G extends z.ZodType>(graph: G) {
  return z
    .object({
      kaiFusion: z.literal(1).describe('format version of this document'),
      exportedAt: z.iso.datetime().optional(),
      notice: z.string().optional(),
      workflow: z.object({ name: nameSchema, description: descriptionSchema.default(''), tags: tagsSchema.default([]), graph }).strict(),
      versions: z
        .array(z.object({ number: z.number().int().min(1), createdAt: z.iso.datetime(), graph }).strict())
        .max(10_000)
        .optional()
        .describe('published versions, oldest first; history only: an import starts with the draft and no versions'),
    })
    .strict();
}

export const workflowDocument = workflowDocumentSchema(graphSchema);
export type WorkflowDocument = z.infer<typeof workflowDocument>;
/** The name a workflow imported from a bare graph starts with (the graph holds none). */
export const IMPORTED_GRAPH_NAME = 'Imported workflow';

/** A graph file on its own, as examples/*.json and the canvas's copies are; checked like any saved graph. */
const bareGraphBody = z
  .object({ kaiFusion: z.undefined().optional(), nodes: z.array(z.unknown()), edges: z.array(z.unknown()).optional() })
  .loose()
  .describe(`a bare graph ({ nodes, edges }), imported as a workflow named "${IMPORTED_GRAPH_NAME}"`);

export const importWorkflowBody = z.discriminatedUnion('kaiFusion', [workflowDocumentSchema(graphInputSchema), bareGraphBody]);
export type ImportWorkflowBody = z.infer<typeof importWorkflowBody>;

export const exportWorkflowQuery = z.object({ versions: z.stringbool().default(false).describe('include every published version') }).strict();

export const importedWorkflowDto = z.object({
  workflow: workflowDto,
  warnings: z.array(z.string()).describe('what the import could not carry over (credentials, version history)'),
});
