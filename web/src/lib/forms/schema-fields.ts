/**
 * A node type's JSON Schema (from the catalogue) as the fields of its form. A field's widget is the one its schema
 * names (`.meta(widget('…'))`, see $contract/widgets); otherwise its JSON type decides, and shapes a plain widget
 * cannot edit well (unions, records, arrays, values of any type) become JSON fields, so every schema has a form.
 */
import { widgetOf } from '$contract/widgets';
import type { ReferenceSyntax } from './template-suggestions';

export type JsonSchema = Record<string, unknown>;

interface FieldBase {
  /** Property name inside its parent object. */
  key: string;
  label: string;
  description?: string;
  required: boolean;
  defaultValue?: unknown;
}

export type FormField =
  /** `text`: `content` says what the text is, from the field's widget (JSONata itself, program text) or plain. */
  | (FieldBase & { kind: 'text'; content: TextContent; format?: string; maxLength?: number; multiline: boolean })
  | (FieldBase & { kind: 'number'; integer: boolean; minimum?: number; maximum?: number })
  | (FieldBase & { kind: 'boolean' })
  | (FieldBase & { kind: 'enum'; options: string[] })
  | (FieldBase & { kind: 'duration' })
  | (FieldBase & { kind: 'credential' })
  | (FieldBase & { kind: 'object'; fields: FormField[] })
  /** The Condition node's rules, edited as rows (the `condition-rules` widget); `operators` from their schema's enum. */
  | (FieldBase & { kind: 'condition-rules'; operators: string[] })
  | (FieldBase & { kind: 'json' });

/** Plain text; `expression`: JSONata itself, offered `$input`/`$nodes` references; `code`: program text. */
export type TextContent = 'plain' | 'expression' | 'code';

/**
 * How a field takes references, or null when it takes none: the run resolves templates in a node's `config` only,
 * never in program text, and a field that is JSONata itself reads `$` variables instead.
 */
export function referenceSyntaxOf(field: FormField, path: readonly string[]): ReferenceSyntax | null {
  if (path[0] !== 'config') return null;
  if (field.kind === 'text') return field.content === 'code' ? null : field.content === 'expression' ? 'expression' : 'template';
  return field.kind === 'number' || field.kind === 'duration' || field.kind === 'json' ? 'template' : null;
}

/** The fields of an object schema, in property order. */
export function formFields(schema: JsonSchema): FormField[] {
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((schema.required ?? []) as string[]);
  return Object.entries(properties).map(([key, property]) => fieldOf(key, property, required.has(key)));
}

export function fieldOf(key: string, schema: JsonSchema, required: boolean): FormField {
  const base: FieldBase = {
    key,
    label: labelOf(key),
    required,
    ...(typeof schema.description === 'string' ? { description: schema.description } : {}),
    ...('default' in schema ? { defaultValue: schema.default } : {}),
  };
  const widget = widgetOf(schema);
  switch (widget) {
    case 'credential':
      return { ...base, kind: 'credential' };
    case 'duration':
      return { ...base, kind: 'duration' };
    case 'condition-rules':
      return { ...base, kind: 'condition-rules', operators: enumAt(schema, ['items', 'properties', 'operator']) };
    case 'multiline':
      return textField(base, schema, 'plain', true);
    case 'code':
    case 'expression':
      return textField(base, schema, widget, true);
    case undefined:
      return fieldOfType(base, schema);
  }
}

/** The widget for a field whose schema names none: the default for its JSON type. */
function fieldOfType(base: FieldBase, schema: JsonSchema): FormField {
  if (Array.isArray(schema.enum) && schema.enum.every((option) => typeof option === 'string')) return { ...base, kind: 'enum', options: schema.enum as string[] };
  switch (schema.type) {
    case 'string':
      return textField(base, schema, 'plain', false);
    case 'integer':
    case 'number':
      return { ...base, kind: 'number', integer: schema.type === 'integer', ...bounds(schema) };
    case 'boolean':
      return { ...base, kind: 'boolean' };
    case 'object':
      if (schema.properties && !schema.additionalProperties) return { ...base, kind: 'object', fields: formFields(schema) };
      return { ...base, kind: 'json' };
    default:
      return { ...base, kind: 'json' };
  }
}

function textField(base: FieldBase, schema: JsonSchema, content: TextContent, multiline: boolean): FormField {
  const maxLength = typeof schema.maxLength === 'number' ? schema.maxLength : undefined;
  const format = typeof schema.format === 'string' ? schema.format : undefined;
  return { ...base, kind: 'text', content, multiline, ...(format ? { format } : {}), ...(maxLength ? { maxLength } : {}) };
}

/** `maxRetries` → "Max retries", `startToClose` → "Start to close". */
export function labelOf(key: string): string {
  const words = key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/[_-]+/g, ' ').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The string options of the enum at `path` inside a schema, or none. */
function enumAt(schema: JsonSchema, path: readonly string[]): string[] {
  const options = (getAtPath(schema, path) as JsonSchema | undefined)?.enum;
  return Array.isArray(options) ? options.filter((option): option is string => typeof option === 'string') : [];
}

function bounds(schema: JsonSchema): { minimum?: number; maximum?: number } {
  const safe = (value: unknown) => typeof value === 'number' && Math.abs(value) < Number.MAX_SAFE_INTEGER;
  return { ...(safe(schema.minimum) ? { minimum: schema.minimum as number } : {}), ...(safe(schema.maximum) ? { maximum: schema.maximum as number } : {}) };
}

/** A number field's text: a number when it reads as one, otherwise kept as text (a `{{ template }}`), empty unset. */
export function parseNumberInput(text: string): number | string | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  const value = Number(trimmed);
  return Number.isFinite(value) ? value : trimmed;
}

/** A JSON field's text as its value; a `{{ template }}` or other non-JSON text stays text. */
export function parseJsonInput(text: string): unknown {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  try {
    return JSON.parse(trimmed);
  } catch {
    return trimmed;
  }
}

/** Sets (or, with undefined, removes) `value` at `path` in a copy of `target`, creating objects on the way. */
export function setAtPath(target: Record<string, unknown>, path: readonly string[], value: unknown): Record<string, unknown> {
  const [head, ...rest] = path;
  const copy = { ...target };
  if (rest.length === 0) {
    if (value === undefined) delete copy[head];
    else copy[head] = value;
    return copy;
  }
  const child = copy[head];
  const next = setAtPath(child !== null && typeof child === 'object' && !Array.isArray(child) ? (child as Record<string, unknown>) : {}, rest, value);
  if (Object.keys(next).length === 0) delete copy[head];
  else copy[head] = next;
  return copy;
}

export function getAtPath(source: unknown, path: readonly string[]): unknown {
  return path.reduce<unknown>((value, key) => (value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined), source);
}
