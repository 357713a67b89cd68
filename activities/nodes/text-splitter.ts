import { RecursiveCharacterTextSplitter } from '@langchain/textsplitters';
import { z } from 'zod';
import type { Document } from '../documents/document';
import { documentsFrom, documentsOutputSchema, storeDocuments } from '../documents/documents-io';
import { splitByTokens, TOKEN_ENCODINGS } from '../documents/split-by-tokens';
import { DEFAULT_RETRY, defineTaskNode } from '../node-definition';

const configSchema = z
  .object({
    method: z
      .enum(['recursive', 'markdown', 'token'])
      .default('recursive')
      .describe('recursive: paragraphs, then lines, then words; markdown: the same along headings and code blocks; token: windows of model tokens'),
    chunkSize: z.number().int().min(16).max(100_000).default(1000).describe('characters (recursive, markdown) or tokens (token) per chunk'),
    chunkOverlap: z.number().int().min(0).max(50_000).default(200).describe('how much consecutive chunks share'),
    encoding: z.enum(TOKEN_ENCODINGS).default('cl100k_base').describe('tokenizer of the token method'),
  })
  .strict()
  .refine((config) => config.chunkOverlap < config.chunkSize, { message: 'must be smaller than chunkSize', path: ['chunkOverlap'] });

type SplitterConfig = z.output<typeof configSchema>;

export const textSplitterNode = defineTaskNode({
  type: 'text-splitter',
  version: 1,
  category: 'documents',
  label: 'Text Splitter',
  description:
    'Cuts documents into overlapping chunks for embedding. Each chunk keeps its document\'s metadata (source, title…) ' +
    'and adds `chunk`, its index within that document.',
  config: configSchema,
  output: documentsOutputSchema,
  inputs: [{ id: 'in', label: 'Documents' }],
  outputs: [{ id: 'out', label: 'Chunks' }],
  retry: { ...DEFAULT_RETRY, maximumAttempts: 2 },
  timeouts: { startToClose: '5m' },
  async run(context) {
    const documents = documentsFrom(context.incoming, context.node.label);
    const chunks: Document[] = [];
    for (const document of documents) {
      const pieces = await splitText(document.text, context.config);
      pieces.forEach((text, chunk) => chunks.push({ id: `${document.id}#${chunk}`, text, metadata: { ...document.metadata, chunk } }));
    }
    return storeDocuments(context, chunks);
  },
});

function splitText(text: string, config: SplitterConfig): Promise<string[]> {
  const { chunkSize, chunkOverlap } = config;
  switch (config.method) {
    case 'token':
      return Promise.resolve(splitByTokens(text, { chunkSize, chunkOverlap, encoding: config.encoding }));
    case 'markdown':
      return RecursiveCharacterTextSplitter.fromLanguage('markdown', { chunkSize, chunkOverlap }).splitText(text);
    case 'recursive':
      return new RecursiveCharacterTextSplitter({ chunkSize, chunkOverlap }).splitText(text);
  }
}
