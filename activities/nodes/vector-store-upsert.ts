import { ApplicationFailure } from '@temporalio/activity';
import { z } from 'zod';
import { embeddedDocumentsFrom } from '../documents/documents-io';
import { DEFAULT_RETRY, defineTaskNode } from '../node-definition';
import { requireVectorStore, withVectorErrors } from '../services/use-vector-store';
import { collectionNameSchema, DISTANCE_METRICS, MAX_VECTOR_DIMENSION } from '../services/vector-store';

const configSchema = z
  .object({
    collection: collectionNameSchema.describe("the workspace's collection to add to"),
    metric: z.enum(DISTANCE_METRICS).default('cosine').describe('distance of a collection this node creates'),
    createIfMissing: z.boolean().default(true).describe("create the collection (with the documents' dimension) when it does not exist"),
  })
  .strict();

export const vectorStoreUpsertNode = defineTaskNode({
  type: 'vector-store-upsert',
  version: 1,
  category: 'vectors',
  label: 'Vector Store Upsert',
  description:
    'Stores embedded documents in a pgvector collection of the workspace. A chunk whose text the collection already ' +
    'holds is skipped (content hash), so ingesting the same pages again adds nothing.',
  config: configSchema,
  output: z.object({ collection: z.string(), added: z.number(), skipped: z.number(), dimensions: z.number() }),
  inputs: [{ id: 'in', label: 'Embedded documents' }],
  outputs: [{ id: 'out', label: 'Result' }],
  retry: { ...DEFAULT_RETRY, maximumAttempts: 5 },
  timeouts: { startToClose: '10m', heartbeat: '1m' },
  async run({ config, incoming, node, services, run }) {
    const store = requireVectorStore(services, node.label);
    const documents = embeddedDocumentsFrom(incoming, node.label);
    const dimension = documents[0]?.embedding.length;
    if (dimension === undefined) return { collection: config.collection, added: 0, skipped: 0, dimensions: 0 };
    if (dimension < 1 || dimension > MAX_VECTOR_DIMENSION) {
      throw ApplicationFailure.create({ message: `${node.label}: pgvector indexes 1–${MAX_VECTOR_DIMENSION} dimensions; these documents have ${dimension}`, type: 'CollectionMismatchError', nonRetryable: true });
    }
    return withVectorErrors(node.label, async () => {
      if (config.createIfMissing) await store.ensureCollection(run.workspaceId, config.collection, { dimension, metric: config.metric });
      const records = documents.map((document) => ({ id: document.id, text: document.text, metadata: document.metadata, embedding: document.embedding }));
      return { collection: config.collection, ...(await store.upsert(run.workspaceId, config.collection, records)), dimensions: dimension };
    });
  },
});
