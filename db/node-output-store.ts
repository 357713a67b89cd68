import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/core';
import type { OutputKey, OutputStore } from '../activities/output-store';
import { NodeOutput } from './entities';

const PREFIX = 'db:';

/** Keeps large node outputs in the `node_outputs` table; each call works in its own fork of the entity manager. */
export class DbOutputStore implements OutputStore {
  constructor(private readonly em: EntityManager) {}

  async save(key: OutputKey, json: string): Promise<string> {
    const id = `${PREFIX}${randomUUID()}`;
    await this.em.fork().insert(NodeOutput, {
      id,
      workspaceId: key.workspaceId ?? null,
      workflowId: key.workflowId,
      runId: key.runId,
      nodeId: key.nodeId,
      attempt: key.attempt,
      data: JSON.parse(json),
      bytes: Buffer.byteLength(json),
      createdAt: new Date(),
    });
    return id;
  }

  async load(refId: string, workspaceId: string | undefined): Promise<unknown> {
    if (!refId.startsWith(PREFIX)) throw new Error(`not a stored output of this store: ${refId}`);
    const row = await this.em.fork().findOne(NodeOutput, { id: refId, workspaceId: workspaceId ?? null }, { fields: ['data'] });
    if (!row) throw new Error(`no stored output ${refId} in this workspace: it was deleted, written elsewhere, or saved to another database`);
    return row.data;
  }
}
