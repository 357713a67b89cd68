import { z } from 'zod';
import { DEFAULT_RETRY, defineTaskNode } from '../node-definition';
import { requireVectorStore, withVectorErrors } from '../services/use-vector-store';
import { collectionNameSchema } from '../services/vector-store';

const configSchema = z
  .object({
    collection: collectionNameSchema,
    ids: z.array(z.string().max(64)).max(10_000).optional().describe('chunk ids (as the Retriever returns them)'),
    filter: z.record(z.string(), z.unknown()).optional().describe('delete the chunks whose metadata contains this, e.g. {"source": "https://…"}'),
  })
  .strict()
  .refine((config) => config.ids !== undefined || config.filter !== undefined, { message: 'set ids, filter, or both', path: ['ids'] });

export const vectorStoreDeleteNode = defineTaskNode({
  type: 'vector-store-delete',
  version: 1,
  category: 'vectors',
  label: 'Vector Store Delete',
  description: 'Deletes chunks from a collection by id, by metadata filter, or by both (chunks matching both).',
  config: configSchema,
  output: z.object({ collection: z.string(), deleted: z.number() }),
  inputs: [{ id: 'in', label: 'Input' }],
  outputs: [{ id: 'out', label: 'Result' }],
  retry: { ...DEFAULT_RETRY, maximumAttempts: 5 },
  timeouts: { startToClose: '2m' },
  async run({ config, node, services, run }) {
    const store = requireVectorStore(services, node.label);
    const deleted = await withVectorErrors(node.label, () => store.delete(run.workspaceId, config.collection, { ids: config.ids, filter: config.filter }));
    return { collection: config.collection, deleted };
  },
});
