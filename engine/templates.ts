import { evaluateExpression } from './expressions';
import { isOutputRef, type DeferredInterpolation } from './output-ref';
import { isPlainObject } from './plain-object';

/**
 * `{{ path }}` templates in node config. A path is read, never evaluated: `input.question`,
 * `nodes.fetch.output.body.items[0].title`, `incoming.in["content-type"]`. A string that is exactly one template
 * takes the referenced value as it is (object, number…); templates inside longer text are interpolated as text.
 * `{{= expression }}` computes a value with JSONata instead (engine/expressions.ts), as the value is resolved.
 * This module is pure and deterministic: the interpreter workflow runs it.
 */

export type PathSegment = string | number;

export interface TemplateScope {
  input: unknown;
  nodes: Record<string, { output: unknown }>;
  incoming: Record<string, unknown>;
}

/** A `{{ path }}` or a `{{= expression }}`, with the text between its braces. */
export interface Template {
  kind: 'path' | 'expression';
  expression: string;
}

/** A piece of templated text: literal text or a template. */
export type TemplatePart = string | Template;

export const TEMPLATE_ROOTS = ['input', 'nodes', 'incoming'] as const;

export class TemplateError extends Error {
  override name = 'TemplateError';
}

const PATH_TEMPLATE_AT = /\{\{(.*?)\}\}/y;
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

/**
 * Splits text into literal text and templates, alternating and starting and ending with text (possibly empty), as
 * `split` with a capture group does. A path ends at the first `}}` on its line; an expression at the first `}}`
 * outside its strings, comments and braces, so `{{= {"a": {"b": 1}} }}` is one expression.
 */
export function templateParts(text: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let textStart = 0;
  for (let open = text.indexOf('{{'); open >= 0; open = text.indexOf('{{', open + 1)) {
    if (open < textStart) continue;
    const end = text[open + 2] === '=' ? expressionEnd(text, open + 3) : -1;
    let part: TemplatePart;
    let next: number;
    if (end >= 0) {
      part = { kind: 'expression', expression: text.slice(open + 3, end) };
      next = end + 2;
    } else {
      PATH_TEMPLATE_AT.lastIndex = open;
      const match = PATH_TEMPLATE_AT.exec(text);
      if (!match) continue;
      part = { kind: 'path', expression: match[1] };
      next = open + match[0].length;
    }
    parts.push(text.slice(textStart, open), part);
    textStart = next;
  }
  parts.push(text.slice(textStart));
  return parts;
}

/** Index of the `}}` closing an expression that starts at `from`, or -1 when it is not closed. */
function expressionEnd(text: string, from: number): number {
  let depth = 0;
  for (let i = from; i < text.length; i++) {
    const char = text[i];
    if (char === '"' || char === "'" || char === '`') {
      for (i++; i < text.length && text[i] !== char; i++) if (text[i] === '\\') i++;
    } else if (char === '/' && text[i + 1] === '*') {
      const close = text.indexOf('*/', i + 2);
      if (close < 0) return -1;
      i = close + 1;
    } else if (char === '{') {
      depth++;
    } else if (char === '}') {
      if (depth === 0 && text[i + 1] === '}') return i;
      depth = Math.max(0, depth - 1);
    }
  }
  return -1;
}

/** Every template in a config value, with the config field that holds it (for plan-time checks). */
export function findTemplates(value: unknown, field: PathSegment[] = []): (Template & { field: PathSegment[] })[] {
  if (typeof value === 'string') {
    if (!value.includes('{{')) return [];
    return templateParts(value).flatMap((part) => (typeof part === 'string' ? [] : [{ field, ...part }]));
  }
  if (Array.isArray(value)) return value.flatMap((item, i) => findTemplates(item, [...field, i]));
  if (isPlainObject(value)) return Object.entries(value).flatMap(([k, v]) => findTemplates(v, [...field, k]));
  return [];
}

export function hasTemplate(value: unknown): boolean {
  return typeof value === 'string' && value.includes('{{') && templateParts(value).length > 1;
}

/**
 * Resolves every template in a value, in field order. `field` is where the value sits (`config.values`): an
 * expression's error names the field that holds it (`config.values.total`).
 */
export function resolveTemplates(value: unknown, scope: TemplateScope, field: PathSegment[] = []): unknown {
  if (typeof value === 'string') return resolveString(value, scope, field);
  if (Array.isArray(value)) return value.map((item, i) => resolveTemplates(item, scope, [...field, i]));
  if (isPlainObject(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveTemplates(v, scope, [...field, k])]));
  }
  return value;
}

function resolveString(text: string, scope: TemplateScope, field: PathSegment[]): unknown {
  if (!text.includes('{{')) return text;
  const templates = templateParts(text);
  if (templates.length === 3 && templates[0] === '' && templates[2] === '') return valueOf(templates[1] as Template, scope, field);
  if (templates.length === 1) return text;
  const parts = templates.map((part) => {
    if (typeof part === 'string') return part;
    const value = valueOf(part, scope, field);
    return isOutputRef(value) ? value : stringify(value);
  });
  if (parts.some(isOutputRef)) return { $kaiInterpolate: parts } satisfies DeferredInterpolation;
  return parts.join('');
}

function valueOf(template: Template, scope: TemplateScope, field: PathSegment[]): unknown {
  if (template.kind === 'path') return readPath(scope, parsePath(template.expression));
  return evaluateExpression(template.expression, { scope, field: field.join('.') });
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
