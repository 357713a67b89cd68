import { z } from 'zod';
import { widget } from '../../contract/widgets';
import { conditionOperators, type ConditionRule } from '../../engine/conditions';
import { defineControlNode } from '../node-definition';

const ruleSchema: z.ZodType<ConditionRule> = z
  .object({
    left: z.unknown().describe('value or template'),
    operator: z.enum(conditionOperators),
    right: z.unknown().optional().describe('value or template; unused by exists, isEmpty, isTrue…'),
  })
  .strict();

export const conditionNode = defineControlNode({
  kind: 'condition',
  type: 'condition',
  version: 1,
  category: 'flow',
  pure: true,
  label: 'Condition',
  keywords: ['if', 'else', 'branch', 'switch'],
  description:
    'Routes to its true or false handle. Nodes reachable only through the other handle are skipped; ' +
    'a join after both branches still runs with the side that was taken. greaterThan, lessThan and their ' +
    'orEqual forms compare numbers: numeric text such as "1500" counts as its number, anything else (a missing ' +
    'value, "abc", true) makes the rule false, or fails the node with onTypeMismatch "error"; branch on a missing ' +
    'value with exists, notExists, isEmpty or isNotEmpty.',
  config: z
    .object({
      combine: z.enum(['all', 'any']).default('all').describe('true when all rules hold, or when any does'),
      // The canvas edits the rules in rows, an operator dropdown per row, rather than as JSON.
      rules: z.array(ruleSchema).min(1).max(50).meta(widget('condition-rules')),
      onTypeMismatch: z
        .enum(['false', 'error'])
        .default('false')
        .describe('when a numeric operator meets an operand that is no number: the rule is false, or the node fails'),
    })
    .strict(),
  output: z.unknown().describe('the incoming value, passed through unchanged'),
  inputs: [{ id: 'in', label: 'Input' }],
  outputs: [
    { id: 'true', label: 'True' },
    { id: 'false', label: 'False' },
  ],
});
