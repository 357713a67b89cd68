import { z } from 'zod';
import { defineControlNode } from '../node-definition';

export const endNode = defineControlNode({
  kind: 'end',
  type: 'end',
  version: 1,
  category: 'flow',
  label: 'End',
  description: "Its input becomes the run's result: `value` when set (templates allowed), else what arrives on its edge.",
  config: z.object({ value: z.unknown().optional().describe('result of the run; defaults to the incoming value') }).strict(),
  output: z.unknown().describe('the run result'),
  inputs: [{ id: 'in', label: 'Result' }],
  outputs: [],
});
