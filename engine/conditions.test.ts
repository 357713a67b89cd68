import { ConditionError, evaluateRule, evaluateRules } from './conditions';

test.each([
  [{ left: '42', operator: 'equals', right: 42 }, true],
  [{ left: 'a', operator: 'notEquals', right: 'b' }, true],
  [{ left: '10', operator: 'greaterThan', right: 9 }, true],
  [{ left: 3, operator: 'lessThanOrEqual', right: '3' }, true],
  [{ left: 'hello world', operator: 'contains', right: 'lo w' }, true],
  [{ left: ['x', 'y'], operator: 'contains', right: 'y' }, true],
  [{ left: { k: 1 }, operator: 'notContains', right: 'k' }, false],
  [{ left: 'report.pdf', operator: 'endsWith', right: '.pdf' }, true],
  [{ left: null, operator: 'exists' }, false],
  [{ left: [], operator: 'isEmpty' }, true],
  [{ left: { a: 1 }, operator: 'isNotEmpty' }, true],
  [{ left: 'true', operator: 'isTrue' }, true],
  [{ left: { a: [1] }, operator: 'equals', right: { a: [1] } }, true],
] as const)('%j → %s', (rule, expected) => {
  expect(evaluateRule(rule)).toBe(expected);
});

test('all and any combine rules', () => {
  const rules = [
    { left: 1, operator: 'equals' as const, right: 1 },
    { left: 1, operator: 'equals' as const, right: 2 },
  ];
  expect(evaluateRules(rules, 'all')).toBe(false);
  expect(evaluateRules(rules, 'any')).toBe(true);
});

test('an operand stored outside Temporal is refused with advice', () => {
  expect(() => evaluateRule({ left: { $kaiRef: 'file:x', bytes: 1 }, operator: 'exists' })).toThrow(ConditionError);
});
