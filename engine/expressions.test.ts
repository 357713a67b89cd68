import { isOutputRef } from './output-ref';
import { evaluateExpression, ExpressionError, EXPRESSION_DEPTH_MAX, EXPRESSION_SEQUENCE_MAX, EXPRESSION_STEPS_MAX, parseExpression, referencedNodes } from './expressions';
import { resolveTemplates, templateParts, type TemplateScope } from './templates';

const scope: TemplateScope = {
  input: { name: 'ada', value: 21, tags: ['x', 'y', 'z'], items: [{ price: 3, qty: 2 }, { price: 10, qty: 0 }, { price: 4, qty: 1 }] },
  nodes: { s1: { output: { value: 21 } }, big: { output: { $kaiRef: 'file:x', bytes: 999 } } },
  incoming: { in: { greeting: 'hi' } },
};

function resolve(value: unknown, at: TemplateScope = scope): unknown {
  return resolveTemplates(value, at, ['config']);
}

function failure(source: string, at: TemplateScope = scope): ExpressionError {
  try {
    evaluateExpression(source, { scope: at, field: 'config.values.x' });
  } catch (error) {
    if (error instanceof ExpressionError) return error;
    throw new Error(`expected an ExpressionError from ${source}, got ${String(error)}`, { cause: error });
  }
  throw new Error(`expected ${source} to fail`);
}

test('an expression that is the whole string keeps its value type; inside text it is interpolated', () => {
  expect(resolve('{{= $nodes.s1.output.value * 2 }}')).toBe(42);
  expect(resolve('{{= $uppercase($input.name) }}')).toBe('ADA');
  expect(resolve('{{= $count($input.tags) }}')).toBe(3);
  expect(resolve('{{= $input.items[qty > 0] }}')).toEqual([{ price: 3, qty: 2 }, { price: 4, qty: 1 }]);
  expect(resolve('{{= {"total": $sum($input.items.(price * qty)), "first": {"tag": $input.tags[0]}} }}')).toEqual({ total: 10, first: { tag: 'x' } });
  expect(resolve({ line: 'Dear {{= $uppercase($input.name) }}, {{ input.value }} → {{= $input.value * 2 }} ({{= greeting }})' })).toEqual({ line: 'Dear ADA, 21 → 42 (hi)' });
  expect(resolve('{{= $incoming.in.greeting & "!" }}')).toBe('hi!');
});

test('plain {{ path }} templates keep their meaning beside expressions', () => {
  expect(resolve('{{ input.tags }}')).toEqual(['x', 'y', 'z']);
  expect(templateParts('a {{ input.n }} b {{= $x }}')).toEqual(['a ', { kind: 'path', expression: ' input.n ' }, ' b ', { kind: 'expression', expression: ' $x ' }, '']);
  expect(templateParts('{{= "}}" & \'}}\' /* }} */ }} tail')).toEqual(['', { kind: 'expression', expression: ' "}}" & \'}}\' /* }} */ ' }, ' tail']);
  expect(templateParts('no template {{ here')).toEqual(['no template {{ here']);
});

test('nothing selected is undefined (empty in text); values come back as plain JSON', () => {
  expect(resolve('{{= $input.missing }}')).toBeUndefined();
  expect(resolve('[{{= $input.missing }}]')).toBe('[]');
  const tags = resolve('{{= $input.tags.$uppercase($) }}');
  expect(tags).toEqual(['X', 'Y', 'Z']);
  expect(Object.keys(tags as object)).toEqual(['0', '1', '2']);
  expect(resolve('{{= function($x){$x} }}')).toBeUndefined();
});

test('errors name the field and the position and token in the expression', () => {
  const syntax = failure('$input.value +');
  expect(syntax.message).toBe('config.values.x: Unexpected end of expression at position 14 ("(end)") in "$input.value +" [S0207]');
  expect(syntax.failure).toEqual({ code: 'S0207', position: 14, token: '(end)' });
  const type = failure('$input.name * 2');
  expect(type.message).toMatch(/^config\.values\.x: The left side of the "\*" operator must evaluate to a number at position 13 \("\*"\)/);
  expect((failure('$nope(1)')).failure).toMatchObject({ code: 'T1006', position: 6, token: 'nope' });
  expect(() => parseExpression('', 'config.expression')).toThrow('config.expression: empty expression');
  expect(() => parseExpression('1 + '.repeat(5000), 'config.expression')).toThrow(/at most 10000 are allowed/);
});

test('evaluation is bounded by steps, depth, sequence length and size, never by the clock, and fails fast', () => {
  const started = Date.now();
  expect((failure('($f := function($x){ $f($x) }; $f(1))')).message).toContain(`more than ${EXPRESSION_STEPS_MAX} evaluation steps`);
  expect(failure('($f := function($x){ 1 + $f($x) }; $f(1))').message).toContain(`nested deeper than ${EXPRESSION_DEPTH_MAX} evaluation levels`);
  expect(failure('$sum([1..100000000])').message).toContain(`range [1..100000000] has 100000000 items; at most ${EXPRESSION_SEQUENCE_MAX} are allowed`);
  expect(failure('$count([$input.value..1000000])').failure).toMatchObject({ code: 'KAI_SEQUENCE' });
  expect(failure('$count([1..60000, 1..60000])').message).toContain('expression built a sequence of 120000 items');
  expect((failure('($f := function($s, $n){ $n = 0 ? $s : $f($s & $s, $n - 1) }; $f("x", 40))')).message).toContain('expression built a text of');
  expect(Date.now() - started).toBeLessThan(5_000);
});

test('within the bounds, a tail-recursive loop of thousands of rounds and a range of the largest size evaluate', () => {
  expect(evaluateExpression('($f := function($n, $sum){ $n = 0 ? $sum : $f($n - 1, $sum + $n) }; $f(2000, 0))', { scope, field: 'f' })).toBe(2_001_000);
  expect(evaluateExpression(`$count([1..${EXPRESSION_SEQUENCE_MAX}])`, { scope, field: 'f' })).toBe(EXPRESSION_SEQUENCE_MAX);
  expect(evaluateExpression('($f := function($n){ $n = 0 ? 0 : 1 + $f($n - 1) }; $f(40))', { scope, field: 'f' })).toBe(40);
});

test('$now, $millis and $random read Date and Math.random, which the workflow sandbox makes deterministic', () => {
  jest.useFakeTimers({ now: Date.UTC(2026, 0, 2) });
  const random = jest.spyOn(Math, 'random').mockReturnValue(0.25);
  try {
    expect(resolve('{{= [$now(), $millis(), $random()] }}')).toEqual(['2026-01-02T00:00:00.000Z', Date.UTC(2026, 0, 2), 0.25]);
  } finally {
    jest.useRealTimers();
    random.mockRestore();
  }
});

test('an expression reading a stored output fails clearly; one reading other nodes does not mind it', () => {
  expect((failure('$nodes.big.output.body')).message).toMatch(/^config\.values\.x: \$nodes\.big holds a stored output/);
  expect((failure('$keys($nodes)')).message).toContain('$nodes.big holds a stored output');
  expect(isOutputRef(scope.nodes.big.output)).toBe(true);
  expect(resolve('{{= $nodes.s1.output.value }}')).toBe(21);
});

test('the nodes an expression reads through $nodes are listed for plan-time checks', () => {
  expect(referencedNodes(parseExpression('$nodes.a.output.x + $sum($nodes.b.output.items.(price))', 'f'))).toEqual(['a', 'b']);
  expect(referencedNodes(parseExpression('$nodes.*.output', 'f'))).toBe('all');
  expect(referencedNodes(parseExpression('$input.x', 'f'))).toEqual([]);
});
