import { formatTable } from './table';

test('columns line up: text to the left, numbers on their decimal point', () => {
  const table = formatTable(['metric', 'value', 'unit'], [
    ['median', 1052.1, 'ms'],
    ['p90', 1107, 'ms'],
    ['runs', 20, 'runs'],
  ]);
  expect(table.split('\n')).toEqual([
    'metric   value  unit',
    '------  ------  ----',
    'median  1052.1  ms',
    'p90     1107    ms',
    'runs      20    runs',
  ]);
});

test('a column mixing text and numbers is text', () => {
  expect(formatTable(['name', 'v'], [['a', 'x'], ['b', 10]])).toBe('name  v\n----  --\na     x\nb     10');
});
