import { z } from 'zod';
import { defineControlNode } from '../node-definition';

export const endNode = defineControlNode({
  kind: 'end',
  type: 'end',
  version: 1,
  category: 'flow',
  pure: true,
  label: 'End',
  description: "Its input becomes the run's result: `value` when set (templates allowed), else what arrives on its edge.",
  config: z
    .object({
      value: z.unknown().optional().describe('result of the run; defaults to the incoming value'),
      response: z
        .object({
          status: z.number().int().min(200).max(599).default(200),
          headers: z.record(z.string().regex(/^[A-Za-z0-9-]{1,100}$/), z.string().max(4000)).default({}),
        })
        .strict()
        .optional()
        .describe("what a synchronous webhook answers with this run's result (templates allowed)"),
    })
    .strict(),
  output: z.unknown().describe('the run result'),
  inputs: [{ id: 'in', label: 'Result' }],
  outputs: [],
});
