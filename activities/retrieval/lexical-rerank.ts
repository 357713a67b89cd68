/**
 * The local reranker: Okapi BM25 of each candidate against the query, with document frequencies taken over the
 * candidates themselves (k1 = 1.2, b = 0.75). It rewards the query's rarer words appearing in a passage, which is
 * a sharper signal than the hashed-vector similarity that found the candidates.
 */
const K1 = 1.2;
const B = 0.75;
const WORD = /[\p{L}\p{N}]+/gu;

export function bm25Scores(query: string, passages: string[]): number[] {
  const queryTerms = [...new Set(words(query))];
  const documents = passages.map(words);
  const averageLength = documents.reduce((sum, terms) => sum + terms.length, 0) / Math.max(1, documents.length);
  const documentFrequency = new Map(queryTerms.map((term) => [term, documents.filter((terms) => terms.includes(term)).length]));
  return documents.map((terms) => {
    const counts = new Map<string, number>();
    for (const term of terms) counts.set(term, (counts.get(term) ?? 0) + 1);
    return queryTerms.reduce((score, term) => {
      const tf = counts.get(term) ?? 0;
      if (tf === 0) return score;
      const df = documentFrequency.get(term) ?? 0;
      const idf = Math.log(1 + (documents.length - df + 0.5) / (df + 0.5));
      return score + (idf * tf * (K1 + 1)) / (tf + K1 * (1 - B + (B * terms.length) / (averageLength || 1)));
    }, 0);
  });
}

function words(text: string): string[] {
  return text.toLowerCase().match(WORD) ?? [];
}
