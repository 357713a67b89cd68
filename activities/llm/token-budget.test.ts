import { countTokens, newestWithinTokens } from './token-budget';

test('counts tokens with cl100k_base', () => {
  expect(countTokens('hello world')).toBe(2);
  expect(countTokens('')).toBe(0);
});

test('keeps the newest turns that fit the budget, oldest first, and stops at the first that does not fit', () => {
  const turns = [
    { role: 'user' as const, content: 'one two three four five six seven eight' },
    { role: 'assistant' as const, content: 'short' },
    { role: 'user' as const, content: 'hello world' },
  ];
  expect(newestWithinTokens(turns, 3)).toEqual(turns.slice(1));
  expect(newestWithinTokens(turns, 2)).toEqual(turns.slice(2));
  expect(newestWithinTokens(turns, 1)).toEqual([]);
  expect(newestWithinTokens(turns, 100)).toEqual(turns);
});
