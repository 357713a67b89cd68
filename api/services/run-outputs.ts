import type { EntityManager } from '@mikro-orm/postgresql';
import type { OutputStore } from '../../activities/output-store';
import { dereference } from '../../activities/dereference';
import { DbOutputStore } from '../../db/node-output-store';

/**
 * Loads stored node outputs for the API, through {@link DbOutputStore}, but only those written by a run of the
 * reader's workspace: a reference is just text a graph could copy from anywhere, so its id alone grants nothing.
 */
export class WorkspaceOutputs implements OutputStore {
  private readonly store: DbOutputStore;

  constructor(
    private readonly em: EntityManager,
    private readonly workspaceId: string,
  ) {
    this.store = new DbOutputStore(em);
  }

  save(): Promise<string> {
    return Promise.reject(new Error('the API only reads stored outputs'));
  }

  async load(refId: string): Promise<unknown> {
    const owned = await this.em
      .fork()
      .getConnection()
      .execute<{ id: string }[]>('select o.id from node_outputs o join runs r on r.id = o.workflow_id where o.id = ? and r.workspace_id = ?', [refId, this.workspaceId]);
    if (owned.length === 0) throw new Error(`no stored output ${refId} in this workspace`);
    return this.store.load(refId);
  }

  /** The value with every stored output it refers to loaded; kept as it is, with the reason, when one cannot be. */
  async resolve(value: unknown): Promise<{ value: unknown; unresolved: string | null }> {
    try {
      return { value: await dereference(value, this), unresolved: null };
    } catch (error) {
      return { value, unresolved: error instanceof Error ? error.message : String(error) };
    }
  }
}
