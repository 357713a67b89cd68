import { ApplicationFailure } from '@temporalio/activity';
import type { NodeServices } from '../node-services';
import { CollectionMismatchError, CollectionNotFoundError, VectorSupportMissingError, type VectorStore } from './vector-store';

/** The worker's vector store; a worker without a database fails the node at once, saying so. */
export function requireVectorStore(services: NodeServices, label: string): VectorStore {
  if (!services.vectors) {
    throw ApplicationFailure.create({ message: `${label} needs a vector store: this worker runs without a database`, type: 'ServiceUnavailable', nonRetryable: true });
  }
  return services.vectors;
}

/** Store errors that another attempt would meet again (no pgvector, no such collection, a wrong dimension) are final. */
export async function withVectorErrors<T>(label: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof VectorSupportMissingError || error instanceof CollectionNotFoundError || error instanceof CollectionMismatchError) {
      throw ApplicationFailure.create({ message: `${label}: ${error.message}`, type: error.name, nonRetryable: true });
    }
    throw error;
  }
}
