/**
 * The local embedder: lexical feature hashing, no key and no network, the same vector for the same text on every
 * machine. Lower-cased word unigrams and bigrams are hashed (FNV-1a) into `dimensions` buckets, each with a sign
 * from a second hash so that collisions cancel out instead of piling up; a feature counted `tf` times weighs
 * 1 + ln(tf), and the vector is L2-normalised, so cosine similarity measures shared vocabulary. It knows nothing of
 * meaning (synonyms do not match), which is what makes it predictable for tests and offline retrieval.
 */

export const LOCAL_EMBEDDER_MODEL = 'kai-lexical-hash-v1';
export const LOCAL_EMBEDDER_DEFAULT_DIMENSIONS = 384;

const WORD = /[\p{L}\p{N}]+/gu;

export function localEmbedding(text: string, dimensions = LOCAL_EMBEDDER_DEFAULT_DIMENSIONS): number[] {
  const counts = new Map<string, number>();
  const words = text.toLowerCase().match(WORD) ?? [];
  words.forEach((word, index) => {
    counts.set(word, (counts.get(word) ?? 0) + 1);
    if (index > 0) {
      const bigram = `${words[index - 1]} ${word}`;
      counts.set(bigram, (counts.get(bigram) ?? 0) + 1);
    }
  });
  const vector = new Array<number>(dimensions).fill(0);
  for (const [feature, tf] of counts) {
    const bucket = fnv1a(feature, FNV_OFFSET) % dimensions;
    const sign = fnv1a(feature, SIGN_SEED) & 1 ? -1 : 1;
    vector[bucket] += sign * (1 + Math.log(tf));
  }
  const norm = Math.hypot(...vector);
  return norm === 0 ? vector : vector.map((value) => value / norm);
}

const FNV_OFFSET = 0x811c9dc5;
/** A different starting state gives a hash independent enough of the bucket's to pick the sign. */
const SIGN_SEED = 0x9747b28c;

function fnv1a(text: string, seed: number): number {
  let hash = seed;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
