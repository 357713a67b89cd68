import { ApplicationFailure } from '@temporalio/activity';
import { z } from 'zod';
import { calculate, MAX_EXPRESSION_LENGTH } from '../tools/limited-math';
import { DEFAULT_RETRY, defineTaskNode } from '../node-definition';

const expressionSchema = z
  .string()
  .max(MAX_EXPRESSION_LENGTH)
  .describe('a math expression, e.g. 12.5 * 4 + sqrt(16), 5 cm to inch or a = 3; a^2 (the last value counts)');

export const calculatorNode = defineTaskNode({
  type: 'calculator',
  version: 1,
  category: 'data',
  label: 'Calculator',
  description:
    'Evaluates a math expression with mathjs (numbers, units, matrices, functions such as sqrt, log, sum), never as ' +
    'JavaScript. Functions that reach the parser or build arrays of a size the expression chooses are disabled. ' +
    "Can be an Agent's tool.",
  config: z.object({ expression: expressionSchema.default('').describe('templates allowed; an Agent calling this node as a tool supplies it') }).strict(),
  output: z.object({
    expression: z.string(),
    result: z.string().describe('the value as text (numbers to 14 significant digits)'),
    value: z.number().optional().describe('the value, when it is a finite number'),
  }),
  inputs: [{ id: 'in', label: 'Input' }],
  outputs: [{ id: 'out', label: 'Result' }],
  tool: {
    description: 'Evaluates a math expression exactly (arithmetic, powers, roots, logarithms, trigonometry, unit conversion) and returns the result.',
    arguments: z.object({ expression: expressionSchema.min(1) }).strict(),
  },
  // Evaluation is deterministic: a failed expression fails the same way again.
  retry: { ...DEFAULT_RETRY, nonRetryableErrorTypes: ['InvalidExpression'] },
  timeouts: { startToClose: '10s' },
  async run({ config, toolArguments, node }) {
    const expression = typeof toolArguments?.expression === 'string' ? toolArguments.expression : config.expression;
    if (expression.trim() === '') throw ApplicationFailure.create({ message: `${node.label} needs an expression (config.expression)`, type: 'InvalidNodeConfig', nonRetryable: true });
    try {
      return { expression, ...(await calculate(expression)) };
    } catch (error) {
      throw ApplicationFailure.create({ message: `${node.label}: ${(error as Error).message} in "${expression}"`, type: 'InvalidExpression', nonRetryable: true });
    }
  },
});
