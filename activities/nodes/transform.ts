import { ApplicationFailure } from '@temporalio/activity';
import { z } from 'zod';
import { widget } from '../../contract/widgets';
import { EXPRESSION_SOURCE_MAX } from '../../engine/expressions';
import { DEFAULT_RETRY, defineTaskNode } from '../node-definition';

export const transformNode = defineTaskNode({
  type: 'transform',
  version: 1,
  category: 'data',
  label: 'Transform',
  description:
    'Outputs the value of one JSONata expression over the incoming value ($), e.g. ' +
    '{ "total": $sum(items.price), "names": items[qty > 0].$uppercase(name) }; $input, $nodes and $incoming ' +
    'read the run input, upstream outputs and every incoming handle. Computed by the workflow itself, with no activity.',
  config: z
    .object({
      expression: z
        .string()
        .min(1)
        .max(EXPRESSION_SOURCE_MAX)
        .meta(widget('expression'))
        .describe('a JSONata expression (not a {{ }} template: read values as $input.name or $nodes.id.output)'),
    })
    .strict(),
  output: z.unknown(),
  inputs: [{ id: 'in', label: 'Input' }],
  outputs: [{ id: 'out', label: 'Output' }],
  pure: true,
  retry: { ...DEFAULT_RETRY, maximumAttempts: 1 },
  timeouts: { startToClose: '10s' },
  // The interpreter hands this node to its activity only when what it reads holds a stored output, which an
  // expression cannot read (see engine/expressions.ts): the run input and upstream outputs are not here anyway.
  async run() {
    throw ApplicationFailure.create({
      message: 'Transform cannot read a stored output (a value too large to carry in the run); read it with a {{ path }} template in a node that runs as an activity',
      type: 'ExpressionError',
      nonRetryable: true,
    });
  },
});
