import { evaluateExpression } from './expressions';
import { isPlainObject } from './plain-object';
import type { TemplateScope } from './templates';

/**
 * Node types whose output is a function of their resolved config and incoming values alone: no I/O, no clock, no
 * randomness. The interpreter computes them itself, with no activity and so no server round trip, and a crash can
 * only make it compute them again. Keyed by `type@version`: what a released version computes never changes (a
 * change is a new version), or runs recorded with it would replay differently.
 *
 * Runs inside the workflow sandbox: no schema library, so each function checks the config it reads itself.
 */
export type PureNodeFunction = (config: Record<string, unknown>, incoming: Record<string, unknown>, scope: TemplateScope) => unknown;

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

/** Transform: its JSONata expression with `$` the incoming value and `$input`, `$nodes`, `$incoming` bound; nothing is null. */
export function transformValue(config: Record<string, unknown>, _incoming: Record<string, unknown>, scope: TemplateScope): unknown {
  if (typeof config.expression !== 'string') throw new PureNodeConfigError('invalid config: config.expression: expected a JSONata expression');
  return evaluateExpression(config.expression, { scope, field: 'config.expression' }) ?? null;
}

export const pureNodeFunctions: Readonly<Record<string, PureNodeFunction>> = {
  'set@1': setValues,
  'transform@1': transformValue,
};

/**
 * Outputs larger than this (JSON characters) are left to the node's activity, which stores them outside Temporal
 * as it does every large output; the default inline output limit of the worker.
 */
export const PURE_OUTPUT_INLINE_MAX = 256 * 1024;
