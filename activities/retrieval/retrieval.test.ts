import { splitByTokens } from '../documents/split-by-tokens';
import { citationsIn, numberedContext } from './citations';
import { bm25Scores } from './lexical-rerank';

const chunks = [
  { id: 'a', text: 'The ferry leaves at noon.', metadata: { source: 'https://x.test/ferry' } },
  { id: 'b', text: 'Mackerel is sold from the boats.', metadata: { source: 'https://x.test/fish' } },
  { id: 'c', text: 'Tide tables are posted daily.', metadata: {} },
];

test('citations map [n] markers to the n-th chunk, ignoring numbers that name none', () => {
  expect(numberedContext(chunks)).toBe('[1] (source: https://x.test/ferry)\nThe ferry leaves at noon.\n\n[2] (source: https://x.test/fish)\nMackerel is sold from the boats.\n\n[3]\nTide tables are posted daily.');
  expect(citationsIn('Noon [1]. Fish and tides [3, 2][1] [7] [0]', chunks)).toEqual([
    { n: 1, id: 'a', chunkId: 'a', source: 'https://x.test/ferry', text: chunks[0].text },
    { n: 3, id: 'c', chunkId: 'c', source: undefined, text: chunks[2].text },
    { n: 2, id: 'b', chunkId: 'b', source: 'https://x.test/fish', text: chunks[1].text },
  ]);
  expect(citationsIn('No idea.', chunks)).toEqual([]);
});

test('a citation of a retrieved chunk names the splitter’s chunk and its position, not only the vector store’s row', () => {
  const retrieved = { id: '7f1c2b9e-row', text: 'Opening hours: 8 to 18.', metadata: { source: 'cafe-handbook.txt', documentId: 'cafe-handbook.txt#0', chunk: 0, score: 0.91 } };
  expect(citationsIn('We open at 8 [1].', [retrieved])).toEqual([
    { n: 1, id: '7f1c2b9e-row', chunkId: 'cafe-handbook.txt#0', chunk: 0, source: 'cafe-handbook.txt', text: retrieved.text },
  ]);
});

test('BM25 ranks the passage with the rarer query words first and scores unrelated passages 0', () => {
  const scores = bm25Scores('when does the ferry leave', ['the the the boats', 'The ferry leaves at noon; the ferry is red.', 'tide tables']);
  expect(scores[1]).toBeGreaterThan(scores[0]);
  expect(scores[2]).toBe(0);
});

test('token windows have the size asked and overlap by the amount asked', () => {
  const text = Array.from({ length: 60 }, (_, index) => `word${index}`).join(' ');
  const chunks = splitByTokens(text, { chunkSize: 20, chunkOverlap: 5, encoding: 'cl100k_base' });
  expect(chunks.length).toBeGreaterThan(3);
  expect(chunks[0].startsWith('word0')).toBe(true);
  const tail = chunks[0].split(' ').at(-1)!;
  expect(chunks[1]).toContain(tail);
  expect(chunks.at(-1)).toContain('word59');
});
