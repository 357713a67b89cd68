import { isDeferredInterpolation, isOutputRef, type OutputRef } from '../engine/output-ref';
import { isPlainObject } from '../engine/plain-object';
import { readPath, stringify } from '../engine/templates';
import type { OutputStore } from './output-store';

/**
 * Loads every stored output a node's input refers to and completes what the workflow had to defer: paths read
 * into stored outputs, and text interpolated from them.
 */
export async function dereference(value: unknown, store: OutputStore, workspaceId: string | undefined): Promise<unknown> {
  const loaded = new Map<string, Promise<unknown>>();
  const load = (ref: OutputRef): Promise<unknown> => {
    let pending = loaded.get(ref.$kaiRef);
    if (!pending) {
      pending = store.load(ref.$kaiRef, workspaceId);
      loaded.set(ref.$kaiRef, pending);
    }
    return pending.then((stored) => readPath(stored, ref.path ?? []));
  };
  const walk = async (node: unknown): Promise<unknown> => {
    if (isOutputRef(node)) return load(node);
    if (isDeferredInterpolation(node)) {
      const parts = await Promise.all(node.$kaiInterpolate.map(async (part) => (isOutputRef(part) ? stringify(await load(part)) : part)));
      return parts.join('');
    }
    if (Array.isArray(node)) return Promise.all(node.map(walk));
    if (isPlainObject(node)) {
      const entries = await Promise.all(Object.entries(node).map(async ([k, v]) => [k, await walk(v)] as const));
      return Object.fromEntries(entries);
    }
    return node;
  };
  return walk(value);
}
