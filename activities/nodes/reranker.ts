import { ApplicationFailure } from '@temporalio/activity';
import { z } from 'zod';
import { optionalCredentialIdSchema } from '../credential-kinds';
import { documentsFrom } from '../documents/documents-io';
import { DEFAULT_RETRY, defineTaskNode } from '../node-definition';
import { COHERE_BASE_URL, cohereRerank } from '../retrieval/cohere-rerank';
import { bm25Scores } from '../retrieval/lexical-rerank';

const configSchema = z
  .object({
    query: z.string().min(1).max(10_000).describe('what the passages should answer, e.g. {{ input.question }}'),
    topN: z.number().int().min(1).max(100).default(3).describe('how many passages to keep'),
    provider: z.enum(['local', 'cohere']).default('local').describe('local: BM25 over the candidates, no key; cohere: Cohere Rerank with a credential'),
    model: z.string().min(1).max(100).default('rerank-v3.5').describe('Cohere rerank model'),
    baseUrl: z.url({ protocol: /^https?$/ }).default(COHERE_BASE_URL).describe('Cohere API base URL'),
    credentialId: optionalCredentialIdSchema('a Cohere credential (provider cohere)'),
  })
  .strict();

export const rerankerNode = defineTaskNode({
  type: 'reranker',
  version: 1,
  category: 'ai',
  label: 'Reranker',
  description:
    'Reorders retrieved passages by how well they answer the query and keeps the best. Cohere Rerank with a ' +
    'credential, or a local lexical reranker (BM25) that needs no key. Adds `rerankScore` to each kept passage.',
  config: configSchema,
  output: z.object({ query: z.string(), count: z.number(), documents: z.array(z.object({ id: z.string(), text: z.string(), metadata: z.record(z.string(), z.unknown()) })) }),
  inputs: [{ id: 'in', label: 'Documents' }],
  outputs: [{ id: 'out', label: 'Documents' }],
  credentialKinds: ['cohere'],
  retry: { ...DEFAULT_RETRY, maximumAttempts: 5 },
  timeouts: { startToClose: '2m' },
  async run({ config, incoming, node, credential, fetch, signal }) {
    const documents = documentsFrom(incoming, node.label);
    const passages = documents.map((document) => document.text);
    let ranked: { index: number; score: number }[];
    if (config.provider === 'cohere') {
      if (!credential) throw ApplicationFailure.create({ message: `${node.label} needs a Cohere credential (config.credentialId)`, type: 'InvalidCredential', nonRetryable: true });
      ranked = passages.length === 0 ? [] : await cohereRerank({ credential, baseUrl: config.baseUrl, model: config.model, query: config.query, passages, topN: config.topN, fetch, signal });
    } else {
      ranked = bm25Scores(config.query, passages)
        .map((score, index) => ({ index, score }))
        .sort((a, b) => b.score - a.score || a.index - b.index);
    }
    const kept = ranked.slice(0, config.topN).map(({ index, score }) => ({ ...documents[index], metadata: { ...documents[index].metadata, rerankScore: score } }));
    return { query: config.query, count: kept.length, documents: kept };
  },
});
