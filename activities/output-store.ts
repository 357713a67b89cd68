import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { OutputRef } from '../engine/output-ref';

export interface OutputKey {
  /** The run's workspace; only runs of the same workspace may load the output back. */
  workspaceId?: string;
  workflowId: string;
  runId: string;
  nodeId: string;
  attempt: number;
}

/**
 * Where node outputs too large for a Temporal payload live; the run passes an {@link OutputRef} instead. A reference
 * is only text that inputs or config could carry in from elsewhere, so a load names the workspace asking, and an
 * output written for another workspace is not found.
 */
export interface OutputStore {
  save(key: OutputKey, json: string): Promise<string>;
  load(refId: string, workspaceId: string | undefined): Promise<unknown>;
}

/** Keeps outputs as JSON files under the data directory until the database holds them. */
export class FileOutputStore implements OutputStore {
  constructor(private readonly directory: string) {}

  async save(key: OutputKey, json: string): Promise<string> {
    const relative = path.join(workspaceFolder(key.workspaceId), safeName(key.workflowId), safeName(key.runId), `${safeName(key.nodeId)}.${key.attempt}.json`);
    const file = path.join(this.directory, relative);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, json);
    return `file:${relative}`;
  }

  async load(refId: string, workspaceId: string | undefined): Promise<unknown> {
    const relative = refId.startsWith('file:') ? refId.slice('file:'.length) : undefined;
    const file = relative === undefined ? undefined : path.resolve(this.directory, relative);
    if (!file || !file.startsWith(path.resolve(this.directory, workspaceFolder(workspaceId)) + path.sep)) {
      throw new Error(`not a stored output of this store: ${refId}`);
    }
    return JSON.parse(await readFile(file, 'utf8'));
  }
}

function workspaceFolder(workspaceId: string | undefined): string {
  return workspaceId ? safeName(workspaceId) : '_no-workspace';
}

function safeName(part: string): string {
  return part.replace(/[^A-Za-z0-9_.-]/g, '_');
}

/** Replaces a large output by a reference to its stored copy; small outputs travel as they are. */
export async function keepPayloadSmall(
  output: unknown,
  key: OutputKey,
  store: OutputStore,
  inlineLimitBytes: number,
): Promise<unknown> {
  const json = JSON.stringify(output ?? null);
  const bytes = Buffer.byteLength(json);
  if (bytes <= inlineLimitBytes) return output;
  return { $kaiRef: await store.save(key, json), bytes } satisfies OutputRef;
}

/** Stores a value whatever its size (documents, embeddings) and returns the reference that travels instead. */
export async function storeOutput(value: unknown, key: OutputKey, store: OutputStore): Promise<OutputRef> {
  const json = JSON.stringify(value ?? null);
  return { $kaiRef: await store.save(key, json), bytes: Buffer.byteLength(json) };
}
