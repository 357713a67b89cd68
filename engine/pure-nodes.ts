import { isDeferredInterpolation, isOutputRef } from './output-ref';
import { isPlainObject } from './templates';

/**
 * Node types whose output is a function of their resolved config and incoming values alone: no I/O, no clock, no
 * randomness. The interpreter computes them itself, with no activity and so no server round trip, and a crash can
 * only make it compute them again. Keyed by `type@version`: what a released version computes never changes (a
 * change is a new version), or runs recorded with it would replay differently.
 *
 * Runs inside the workflow sandbox: no schema library, so each function checks the config it reads itself.
 */
export type PureNodeFunction = (config: Record<string, unknown>, incoming: Record<string, unknown>) => unknown;

export class PureNodeConfigError extends Error {
  override name = 'InvalidNodeConfig';
}

/** Set: `values` laid over nothing (replace) or over the incoming object (merge). */
export function setValues(config: Record<string, unknown>, incoming: Record<string, unknown>): Record<string, unknown> {
  const { values, mode } = config;
  if (!isPlainObject(values)) throw new PureNodeConfigError('invalid config after templates were resolved: config.values: expected an object');
  if (mode !== undefined && mode !== 'replace' && mode !== 'merge') {
    throw new PureNodeConfigError('invalid config after templates were resolved: config.mode: expected "replace" or "merge"');
  }
  const base = mode === 'merge' && isPlainObject(incoming.in) ? incoming.in : {};
  return { ...base, ...values };
}

export const pureNodeFunctions: Readonly<Record<string, PureNodeFunction>> = {
  'set@1': setValues,
};

/**
 * Outputs larger than this (JSON characters) are left to the node's activity, which stores them outside Temporal
 * as it does every large output; the default inline output limit of the worker.
 */
export const PURE_OUTPUT_INLINE_MAX = 256 * 1024;

/**
 * True when a value carries a stored output (or text still to be joined from one): only an activity can load it,
 * under the run's workspace, so such a node runs as its activity.
 */
export function holdsStoredOutput(value: unknown): boolean {
  if (isOutputRef(value) || isDeferredInterpolation(value)) return true;
  if (Array.isArray(value)) return value.some(holdsStoredOutput);
  if (isPlainObject(value)) return Object.values(value).some(holdsStoredOutput);
  return false;
}
