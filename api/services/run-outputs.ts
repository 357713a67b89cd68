import type { EntityManager } from '@mikro-orm/postgresql';
import type { OutputStore } from '../../activities/output-store';
import { dereference } from '../../activities/dereference';
import { DbOutputStore } from '../../db/node-output-store';

/**
 * Loads stored node outputs for the API, only those written by a run of the reader's workspace (the store checks):
 * a reference is just text a graph could copy from anywhere, so its id alone grants nothing.
 */
export class WorkspaceOutputs {
  private readonly store: OutputStore;

  constructor(
    em: EntityManager,
    private readonly workspaceId: string,
  ) {
    this.store = new DbOutputStore(em);
  }

  /** The value with every stored output it refers to loaded; kept as it is, with the reason, when one cannot be. */
  async resolve(value: unknown): Promise<{ value: unknown; unresolved: string | null }> {
    try {
      return { value: await dereference(value, this.store, this.workspaceId), unresolved: null };
    } catch (error) {
      return { value, unresolved: error instanceof Error ? error.message : String(error) };
    }
  }
}
