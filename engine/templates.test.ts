import { isOutputRef } from './output-ref';
import { parsePath, resolveTemplates, TemplateError, type TemplateScope } from './templates';

const scope: TemplateScope = {
  input: { question: 'why?', n: 3, tags: ['a', 'b'] },
  nodes: { fetch: { output: { body: { title: 'Hello', 'content-type': 'json', items: [{ name: 'first' }] } } }, big: { output: { $kaiRef: 'file:x', bytes: 999 } } },
  incoming: { in: { status: 200 } },
};

test('a whole-value template keeps the value type; text templates interpolate', () => {
  expect(resolveTemplates('{{ input.n }}', scope)).toBe(3);
  expect(resolveTemplates('{{input.tags}}', scope)).toEqual(['a', 'b']);
  expect(resolveTemplates('Q: {{ input.question }} ({{ input.n }}) {{ input.tags }}', scope)).toBe('Q: why? (3) ["a","b"]');
  expect(resolveTemplates({ deep: ['{{ nodes.fetch.output.body.items[0].name }}', '{{ nodes.fetch.output.body["content-type"] }}'] }, scope)).toEqual({ deep: ['first', 'json'] });
  expect(resolveTemplates('{{ incoming.in.status }}', scope)).toBe(200);
});

test('missing paths give undefined (empty in text) and never reach prototypes', () => {
  expect(resolveTemplates('{{ input.nope.deeper }}', scope)).toBeUndefined();
  expect(resolveTemplates('[{{ input.nope }}]', scope)).toBe('[]');
  expect(resolveTemplates('{{ input.constructor }}', scope)).toBeUndefined();
  expect(resolveTemplates('{{ input.__proto__ }}', scope)).toBeUndefined();
});

test('reading into a stored output defers the rest of the path to the activity', () => {
  const whole = resolveTemplates('{{ nodes.big.output.body.title }}', scope);
  expect(isOutputRef(whole) && whole.path).toEqual(['body', 'title']);
  expect(resolveTemplates('title: {{ nodes.big.output.body.title }}!', scope)).toEqual({
    $kaiInterpolate: ['title: ', { $kaiRef: 'file:x', bytes: 999, path: ['body', 'title'] }, '!'],
  });
});

test('anything but a path is refused, never evaluated', () => {
  expect(() => parsePath('process.exit(1)')).toThrow(TemplateError);
  expect(() => parsePath('input.a + 1')).toThrow(/expected a path/);
  expect(() => parsePath('globalThis')).toThrow(/must start with input, nodes, incoming/);
  expect(parsePath(' nodes.a-b.output[2]["x y"] ')).toEqual(['nodes', 'a-b', 'output', 2, 'x y']);
});
