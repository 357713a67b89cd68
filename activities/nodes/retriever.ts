import { ApplicationFailure } from '@temporalio/activity';
import { z } from 'zod';
import type { Document } from '../documents/document';
import { embedTexts } from '../embeddings/embed-texts';
import { embedderFields } from '../embeddings/embedder-spec';
import { embeddingCredentialKinds } from '../llm/providers/registry';
import { DEFAULT_RETRY, defineTaskNode } from '../node-definition';
import { requireVectorStore, withVectorErrors } from '../services/use-vector-store';
import { collectionNameSchema } from '../services/vector-store';

const configSchema = z
  .object({
    collection: collectionNameSchema.describe("the workspace's collection to search"),
    query: z.string().max(10_000).optional().describe('what to look for, e.g. {{ input.question }}; an Agent calling this node as a tool supplies it'),
    k: z.number().int().min(1).max(100).default(4).describe('how many chunks to return at most'),
    scoreThreshold: z.number().optional().describe('leave out chunks scoring below this (cosine similarity for cosine collections)'),
    filter: z.record(z.string(), z.unknown()).optional().describe('metadata the chunks must contain, e.g. {"source": "https://…"}'),
    ...embedderFields,
  })
  .strict();

export const retrieverNode = defineTaskNode({
  type: 'retriever',
  version: 1,
  category: 'vectors',
  label: 'Retriever',
  description:
    'Finds the chunks of a collection closest to a query: the query is embedded with the embedder the collection ' +
    'was built with (set the same provider and dimensions), then searched through the HNSW index. Can be an ' +
    "Agent's tool.",
  config: configSchema,
  output: z.object({
    query: z.string(),
    count: z.number(),
    documents: z.array(z.object({ id: z.string(), text: z.string(), metadata: z.record(z.string(), z.unknown()).describe('the chunk\'s metadata and its `score`') })),
  }),
  inputs: [{ id: 'in', label: 'Input' }],
  outputs: [{ id: 'out', label: 'Documents' }],
  credentialKinds: embeddingCredentialKinds,
  tool: {
    description: 'Searches the knowledge base for passages relevant to a query and returns them with their sources.',
    arguments: z.object({ query: z.string().min(1).max(2000).describe('what to search for, in a few words or a question') }).strict(),
  },
  retry: { ...DEFAULT_RETRY, maximumAttempts: 5 },
  timeouts: { startToClose: '2m' },
  async run({ config, toolArguments, node, services, run, credential, fetch }) {
    const store = requireVectorStore(services, node.label);
    const query = (toolArguments?.query as string | undefined) ?? config.query;
    if (!query?.trim()) throw ApplicationFailure.create({ message: `${node.label} has no query: set config.query`, type: 'InvalidNodeConfig', nonRetryable: true });
    const { vectors } = await embedTexts(config, [query], { credential, fetch, label: node.label });
    const matches = await withVectorErrors(node.label, () =>
      store.search(run.workspaceId, config.collection, { embedding: vectors[0], k: config.k, scoreThreshold: config.scoreThreshold, filter: config.filter }),
    );
    const documents: Document[] = matches.map((match) => ({ id: match.id, text: match.text, metadata: { ...match.metadata, score: match.score } }));
    return { query, count: documents.length, documents };
  },
});
