import { z } from 'zod';
import { defineControlNode } from '../node-definition';

export const startNode = defineControlNode({
  kind: 'start',
  type: 'start',
  version: 1,
  category: 'trigger',
  pure: true,
  label: 'Start',
  description: "Entry of a run started by hand, the CLI or the REST API. Its output is the run's inputs.",
  config: z.object({}).strict(),
  output: z.record(z.string(), z.unknown()).describe("the run's inputs"),
  inputs: [],
  outputs: [{ id: 'out', label: 'Inputs' }],
});
