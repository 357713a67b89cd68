import { getEncoding, type TiktokenEncoding } from 'js-tiktoken';

export const TOKEN_ENCODINGS = ['cl100k_base', 'o200k_base'] as const satisfies readonly TiktokenEncoding[];

/**
 * Windows of `chunkSize` tokens that overlap by `chunkOverlap`. js-tiktoken's full build carries its encodings, so
 * nothing is downloaded (LangChain's TokenTextSplitter fetches them from the internet).
 */
export function splitByTokens(text: string, options: { chunkSize: number; chunkOverlap: number; encoding: (typeof TOKEN_ENCODINGS)[number] }): string[] {
  const encoder = getEncoding(options.encoding);
  const tokens = encoder.encode(text);
  const step = options.chunkSize - options.chunkOverlap;
  const chunks: string[] = [];
  for (let start = 0; start < tokens.length; start += step) {
    chunks.push(encoder.decode(tokens.slice(start, start + options.chunkSize)).trim());
    if (start + options.chunkSize >= tokens.length) break;
  }
  return chunks.filter((chunk) => chunk !== '');
}
