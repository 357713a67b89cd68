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

describe('numeric operators compare numbers only', () => {
  const strict = { strictNumbers: true };

  test.each([
    [{ left: 1500, operator: 'greaterThanOrEqual', right: 1000 }, true],
    [{ left: '1500', operator: 'greaterThanOrEqual', right: '1000' }, true],
    [{ left: ' 999.5 ', operator: 'lessThan', right: 1000 }, true],
    [{ left: 1000, operator: 'lessThanOrEqual', right: '1e3' }, true],
    [{ left: '9', operator: 'greaterThan', right: '10' }, false],
  ] as const)('numbers and numeric text: %j → %s', (rule, expected) => {
    expect(evaluateRule(rule, strict)).toBe(expected);
  });

  test.each([undefined, null, 'abc', '', true, [1500], { amount: 1500 }])('%j is no number: every numeric operator is false', (left) => {
    for (const operator of ['greaterThan', 'greaterThanOrEqual', 'lessThan', 'lessThanOrEqual'] as const) {
      expect(evaluateRule({ left, operator, right: 1000 }, strict)).toBe(false);
      expect(evaluateRule({ left: 1000, operator, right: left }, strict)).toBe(false);
    }
  });

  test('onTypeMismatch "error" fails naming the operator, the operand and what to use for a missing value', () => {
    const options = { strictNumbers: true, onTypeMismatch: 'error' } as const;
    expect(() => evaluateRule({ left: undefined, operator: 'greaterThanOrEqual', right: 1000 }, options)).toThrow(
      new ConditionError('greaterThanOrEqual compares numbers, but its left operand is missing; use exists or isEmpty to branch on a missing value'),
    );
    expect(() => evaluateRule({ left: 5, operator: 'lessThan', right: 'abc' }, options)).toThrow(/its right operand is "abc"/);
    expect(evaluateRule({ left: '12', operator: 'lessThan', right: 100 }, options)).toBe(true);
  });

  test('a missing value is branched on with exists and isEmpty', () => {
    expect(evaluateRules([{ left: undefined, operator: 'exists' }], 'all', strict)).toBe(false);
    expect(evaluateRules([{ left: undefined, operator: 'isEmpty' }], 'all', strict)).toBe(true);
  });

  test('runs recorded before strict numbers keep comparing text, as they did when they ran', () => {
    expect(evaluateRule({ left: undefined, operator: 'greaterThanOrEqual', right: 1000 })).toBe(true);
    expect(evaluateRule({ left: 'abc', operator: 'greaterThanOrEqual', right: 1000 })).toBe(true);
  });
});
