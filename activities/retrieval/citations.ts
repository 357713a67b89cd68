import type { Document } from '../documents/document';

export interface Citation {
  /** The number the answer cites, as in `[n]`: the n-th context chunk, counting from 1. */
  n: number;
  /** The chunk's id where it came from: a vector store's row id for retrieved chunks. */
  id: string;
  /** The id the splitter gave the chunk (`handbook.txt#0`), which a vector store keeps as `metadata.documentId`. */
  chunkId: string;
  /** Its position in the source document, counting from 0, when a splitter made it. */
  chunk?: number;
  source?: string;
  text: string;
}

/** The context as the model sees it: one numbered block per chunk, with its source. */
export function numberedContext(chunks: Document[]): string {
  return chunks
    .map((chunk, index) => {
      const source = typeof chunk.metadata.source === 'string' ? ` (source: ${chunk.metadata.source})` : '';
      return `[${index + 1}]${source}\n${chunk.text}`;
    })
    .join('\n\n');
}

/**
 * The chunks an answer cites with `[n]` markers (`[2]`, `[1, 3]`, `[1][3]`), in order of first citation; numbers
 * that name no chunk are ignored rather than invented into citations.
 */
export function citationsIn(answer: string, chunks: Document[]): Citation[] {
  const cited = new Set<number>();
  for (const marker of answer.matchAll(/\[(\d+(?:\s*,\s*\d+)*)\]/g)) {
    for (const number of marker[1].split(',').map((part) => Number(part.trim()))) {
      if (number >= 1 && number <= chunks.length) cited.add(number);
    }
  }
  return [...cited].map((n) => {
    const { id, metadata, text } = chunks[n - 1];
    return {
      n,
      id,
      chunkId: typeof metadata.documentId === 'string' ? metadata.documentId : id,
      chunk: typeof metadata.chunk === 'number' ? metadata.chunk : undefined,
      source: typeof metadata.source === 'string' ? metadata.source : undefined,
      text,
    };
  });
}
