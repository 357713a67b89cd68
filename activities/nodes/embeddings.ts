import { z } from 'zod';
import { documentsFrom, documentsOutputSchema, storeDocuments } from '../documents/documents-io';
import { embedTexts } from '../embeddings/embed-texts';
import { embedderFields } from '../embeddings/embedder-spec';
import { embeddingCredentialKinds } from '../llm/providers/registry';
import { DEFAULT_RETRY, defineTaskNode } from '../node-definition';

const configSchema = z.object(embedderFields).strict();

export const embeddingsNode = defineTaskNode({
  type: 'embeddings',
  version: 1,
  category: 'ai',
  label: 'Embeddings',
  description:
    'Turns documents into vectors. "local" needs no key and no network: deterministic lexical feature hashing ' +
    '(word unigrams and bigrams hashed into 384 signed dimensions, log term frequency, unit length), so it matches ' +
    'shared words, not meaning. "credential" calls the embeddings API of the credential chosen: OpenAI-compatible, ' +
    'Ollama, Google Gemini, Mistral or Cohere.',
  config: configSchema,
  output: documentsOutputSchema.extend({ dimensions: z.number(), model: z.string() }),
  inputs: [{ id: 'in', label: 'Documents' }],
  outputs: [{ id: 'out', label: 'Embedded documents' }],
  credentialKinds: embeddingCredentialKinds,
  retry: { ...DEFAULT_RETRY, maximumAttempts: 5 },
  timeouts: { startToClose: '10m', heartbeat: '1m' },
  async run(context) {
    const documents = documentsFrom(context.incoming, context.node.label);
    const embedded = await embedTexts(context.config, documents.map((document) => document.text), {
      credential: context.credential,
      fetch: context.fetch,
      label: context.node.label,
    });
    const output = await storeDocuments(context, documents.map((document, index) => ({ ...document, embedding: embedded.vectors[index] })));
    return { ...output, dimensions: embedded.dimensions, model: embedded.model };
  },
});
