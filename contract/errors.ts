import { z } from 'zod';

/** One problem of a refused request: the dotted path of the field it concerns and what is wrong there. */
export const errorDetailSchema = z.object({
  path: z.string().describe('where, e.g. body.password or body.graph.nodes.fetch.data.config.url'),
  message: z.string(),
  nodeId: z.string().optional().describe('the graph node the problem is on'),
  edgeId: z.string().optional().describe('the graph edge the problem is on'),
});

/** The body of every error answer, so clients handle failures one way. */
export const errorBodySchema = z.object({
  error: z.object({
    code: z.string().describe('machine-readable, e.g. validation_failed, not_found, invalid_graph'),
    message: z.string(),
    details: z.array(errorDetailSchema).describe('one entry per problem, with the path of the offending field'),
  }),
});

export type ErrorDetail = z.infer<typeof errorDetailSchema>;
export type ErrorBody = z.infer<typeof errorBodySchema>;
