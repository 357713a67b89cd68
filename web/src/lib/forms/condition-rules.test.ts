import { z } from 'zod';
import { conditionNode } from '../../../../activities/nodes/condition';
import { conditionOperators, evaluateRule, type ConditionOperator } from '../../../../engine/conditions';
import { blankRule, isUnary, kindOf, moveRule, operatorGroups, rulesOf, textOf, withOperand, withOperator, type ConditionRule } from './condition-rules';
import { formFields, type JsonSchema } from './schema-fields';

/** The Condition's config schema as the catalogue sends it to the canvas. */
const configSchema = z.toJSONSchema(conditionNode.config, { io: 'input', unrepresentable: 'any' }) as JsonSchema;

describe('the Condition rule editor', () => {
  it('is the widget of the rules field, offered the operators of its schema', () => {
    const rules = formFields(configSchema).find((field) => field.key === 'rules');
    expect(rules).toMatchObject({ kind: 'condition-rules', required: true, operators: [...conditionOperators] });
  });

  it('offers every operator of the engine once, by a readable name, in a group of its kind', () => {
    const groups = operatorGroups(conditionOperators);
    const offered = groups.flatMap((group) => group.choices.map((choice) => choice.operator));
    expect([...offered].sort()).toEqual([...conditionOperators].sort());
    expect(groups.map((group) => group.label)).toEqual(['Equality', 'Text', 'Number', 'Boolean', 'Presence']);
    expect(groups.find((group) => group.kind === 'number')?.choices).toContainEqual({ operator: 'greaterThan', label: 'is greater than' });
  });

  it('still offers an operator it has no name for, under Other', () => {
    const groups = operatorGroups(['equals', 'matchesRegex']);
    expect(groups.map((group) => [group.label, group.choices.map((choice) => choice.label)])).toEqual([
      ['Equality', ['is equal to']],
      ['Other', ['matchesRegex']],
    ]);
  });

  it('hides the right value for exactly the operators the engine evaluates without it', () => {
    const readsRight = (operator: ConditionOperator) => new Set(['1', '5', '9', 'x', ''].map((right) => evaluateRule({ left: '5', operator, right }, { strictNumbers: true }))).size > 1;
    for (const operator of conditionOperators) expect([operator, isUnary(operator)]).toEqual([operator, !readsRight(operator)]);
  });

  it('reads typed numbers as numbers in a Number rule only, keeping templates and empty text as text', () => {
    const numeric: ConditionRule = { left: '{{ input.amount }}', operator: 'greaterThan', right: '' };
    expect(withOperand(numeric, 'right', ' 1500 ')).toEqual({ ...numeric, right: 1500 });
    expect(withOperand(numeric, 'left', '{{ input.total }}')).toEqual({ ...numeric, left: '{{ input.total }}' });
    expect(withOperand(numeric, 'right', '')).toEqual({ ...numeric, right: '' });
    expect(withOperand({ left: '', operator: 'equals', right: '' }, 'right', '007')).toEqual({ left: '', operator: 'equals', right: '007' });
  });

  it('changes the operator: a Number one reads numeric text, a unary one drops the right value and gets it back empty', () => {
    const rule: ConditionRule = { left: '{{ input.amount }}', operator: 'equals', right: '1000' };
    expect(withOperator(rule, 'lessThan')).toEqual({ left: '{{ input.amount }}', operator: 'lessThan', right: 1000 });
    expect(withOperator(rule, 'isEmpty')).toEqual({ left: '{{ input.amount }}', operator: 'isEmpty' });
    expect(withOperator({ left: 'x', operator: 'exists' }, 'contains')).toEqual({ left: 'x', operator: 'contains', right: '' });
    expect(withOperator({ left: ['a'], operator: 'contains', right: true }, 'notContains')).toEqual({ left: ['a'], operator: 'notContains', right: true });
  });

  it('shows operands written as JSON as text', () => {
    expect([textOf(undefined), textOf('{{ input.a }}'), textOf(42), textOf(true), textOf(['a'])]).toEqual(['', '{{ input.a }}', '42', 'true', '["a"]']);
    expect(kindOf('greaterThan')).toBe('number');
    expect(kindOf('isTrue')).toBe('boolean');
  });

  it('moves a rule up or down, never off the list', () => {
    const rules: ConditionRule[] = [blankRule(), { left: 'b', operator: 'exists' }, { left: 'c', operator: 'isTrue' }];
    expect(moveRule(rules, 1, -1).map((rule) => rule.left)).toEqual(['b', '', 'c']);
    expect(moveRule(rules, 1, 1).map((rule) => rule.left)).toEqual(['', 'c', 'b']);
    expect(moveRule(rules, 0, -1)).toEqual(rules);
    expect(moveRule(rules, 2, 1)).toEqual(rules);
  });

  it('reads a saved value as rules, and what it writes is the config the node accepts', () => {
    expect(rulesOf(undefined)).toEqual([]);
    expect(rulesOf('[{"left"')).toEqual([]);
    const edited = [withOperand(withOperator(blankRule(), 'greaterThanOrEqual'), 'right', '10'), withOperator(blankRule(), 'isNotEmpty')];
    const saved = JSON.parse(JSON.stringify({ combine: 'any', rules: edited }));
    expect(conditionNode.config.parse(saved)).toEqual({ combine: 'any', onTypeMismatch: 'false', rules: edited });
    expect(rulesOf(saved.rules)).toEqual(edited);
  });
});
