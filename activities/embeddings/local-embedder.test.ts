import { localEmbedding } from './local-embedder';

const cosine = (a: number[], b: number[]) => a.reduce((sum, value, index) => sum + value * b[index], 0);

test('the local embedder is deterministic, unit length, and sized as asked', () => {
  const vector = localEmbedding('The quick brown fox jumps over the lazy dog');
  expect(vector).toHaveLength(384);
  expect(Math.hypot(...vector)).toBeCloseTo(1, 10);
  expect(localEmbedding('The quick brown fox jumps over the lazy dog')).toEqual(vector);
  expect(localEmbedding('x', 16)).toHaveLength(16);
  expect(localEmbedding('', 16)).toEqual(new Array(16).fill(0));
});

test('shared words make texts close; case and punctuation do not matter; word order counts through bigrams', () => {
  const query = localEmbedding('espresso machine name');
  const related = localEmbedding('The ESPRESSO machine is named Bertha.');
  const unrelated = localEmbedding('Cardamom buns are baked every morning.');
  expect(cosine(query, related)).toBeGreaterThan(0.3);
  expect(Math.abs(cosine(query, unrelated))).toBeLessThan(0.15);
  expect(cosine(localEmbedding('Hello, world!'), localEmbedding('hello world'))).toBeCloseTo(1, 10);
  expect(cosine(localEmbedding('dog bites man'), localEmbedding('man bites dog'))).toBeLessThan(0.99);
});
