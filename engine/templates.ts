import { isOutputRef, type DeferredInterpolation, type OutputRef } from './output-ref';

/**
 * `{{ path }}` templates in node config. A path is read, never evaluated: `input.question`,
 * `nodes.fetch.output.body.items[0].title`, `incoming.in["content-type"]`. A string that is exactly one template
 * takes the referenced value as it is (object, number…); templates inside longer text are interpolated as text.
 * This module is pure and deterministic: the interpreter workflow runs it.
 */

export type PathSegment = string | number;

export interface TemplateScope {
  input: unknown;
  nodes: Record<string, { output: unknown }>;
  incoming: Record<string, unknown>;
}

export const TEMPLATE_ROOTS = ['input', 'nodes', 'incoming'] as const;

export class TemplateError extends Error {
  override name = 'TemplateError';
}

const TEMPLATE = /\{\{(.*?)\}\}/g;
const WHOLE_TEMPLATE = /^\{\{((?:(?!\}\}).)*)\}\}$/;
const SEGMENT = /^(?:\.?([A-Za-z_$][\w$-]*)|\[(\d+)\]|\["((?:[^"\\]|\\.)*)"\])/;

export function parsePath(expression: string): PathSegment[] {
  let rest = expression.trim();
  if (rest === '') throw new TemplateError('empty template {{ }}');
  const segments: PathSegment[] = [];
  while (rest.length > 0) {
    const match = SEGMENT.exec(rest);
    if (!match || (segments.length === 0 && rest.startsWith('.'))) {
      throw new TemplateError(`cannot read "{{ ${expression.trim()} }}": expected a path like input.name or nodes.id.output.field`);
    }
    if (match[1] !== undefined) segments.push(match[1]);
    else if (match[2] !== undefined) segments.push(Number(match[2]));
    else segments.push(JSON.parse(`"${match[3]}"`) as string);
    rest = rest.slice(match[0].length);
  }
  const root = segments[0];
  if (!TEMPLATE_ROOTS.includes(root as (typeof TEMPLATE_ROOTS)[number])) {
    throw new TemplateError(`"{{ ${expression.trim()} }}" must start with ${TEMPLATE_ROOTS.join(', ')}`);
  }
  return segments;
}

/** Every template path in a config value, with the config field that holds it (for plan-time checks). */
export function findTemplates(value: unknown, field: PathSegment[] = []): { field: PathSegment[]; expression: string }[] {
  if (typeof value === 'string') {
    return [...value.matchAll(TEMPLATE)].map((m) => ({ field, expression: m[1] }));
  }
  if (Array.isArray(value)) return value.flatMap((item, i) => findTemplates(item, [...field, i]));
  if (isPlainObject(value)) return Object.entries(value).flatMap(([k, v]) => findTemplates(v, [...field, k]));
  return [];
}

export function hasTemplate(value: unknown): boolean {
  return typeof value === 'string' && /\{\{.*?\}\}/.test(value);
}

export function resolveTemplates(value: unknown, scope: TemplateScope): unknown {
  if (typeof value === 'string') return resolveString(value, scope);
  if (Array.isArray(value)) return value.map((item) => resolveTemplates(item, scope));
  if (isPlainObject(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveTemplates(v, scope)]));
  }
  return value;
}

function resolveString(text: string, scope: TemplateScope): unknown {
  const whole = WHOLE_TEMPLATE.exec(text);
  if (whole) return readPath(scope, parsePath(whole[1]));
  if (!text.includes('{{')) return text;
  const parts: (string | OutputRef)[] = [];
  let last = 0;
  for (const match of text.matchAll(TEMPLATE)) {
    parts.push(text.slice(last, match.index));
    const value = readPath(scope, parsePath(match[1]));
    parts.push(isOutputRef(value) ? value : stringify(value));
    last = match.index + match[0].length;
  }
  parts.push(text.slice(last));
  if (parts.some(isOutputRef)) return { $kaiInterpolate: parts } satisfies DeferredInterpolation;
  return parts.join('');
}

/** Reads own properties only, so a path can never reach prototypes (`constructor`, `__proto__`). */
export function readPath(root: unknown, path: PathSegment[]): unknown {
  let current: unknown = root;
  for (let i = 0; i < path.length; i++) {
    if (isOutputRef(current)) return { ...current, path: [...(current.path ?? []), ...path.slice(i)] };
    if (current === null || typeof current !== 'object') return undefined;
    const key = path[i];
    if (!Object.prototype.hasOwnProperty.call(current, key)) return undefined;
    current = (current as Record<PathSegment, unknown>)[key];
  }
  return current;
}

export function stringify(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
