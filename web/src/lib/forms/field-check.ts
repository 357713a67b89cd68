import type { FormField } from './schema-fields';

/** Text holding a `{{ template }}` or `{{= expression }}` is resolved at run time, so only the server can judge it. */
const TEMPLATE = /\{\{/;

/**
 * What is wrong with a field's value by its schema (the same JSON Schema the form is drawn from and the server
 * validates with), in words, or null. `required` is only checked once the user has left the field.
 */
export function fieldProblem(field: FormField, value: unknown, { checkRequired }: { checkRequired: boolean }): string | null {
  if (value === undefined || value === '') return checkRequired && field.required && field.kind !== 'boolean' && field.defaultValue === undefined ? 'is required' : null;
  if (typeof value === 'string' && TEMPLATE.test(value)) return null;
  switch (field.kind) {
    case 'number':
      return numberProblem(field, value);
    case 'text':
      return field.maxLength !== undefined && typeof value === 'string' && value.length > field.maxLength ? `must be at most ${field.maxLength} characters` : null;
    default:
      return null;
  }
}

function numberProblem(field: Extract<FormField, { kind: 'number' }>, value: unknown): string | null {
  if (typeof value !== 'number') return field.integer ? 'must be a whole number' : 'must be a number';
  if (field.integer && !Number.isInteger(value)) return 'must be a whole number';
  if (field.minimum !== undefined && value < field.minimum) return `must be at least ${field.minimum}`;
  if (field.maximum !== undefined && value > field.maximum) return `must be at most ${field.maximum}`;
  return null;
}

/** What is wrong with the text typed into a JSON field (kept as text when it does not parse), or null. */
export function jsonTextProblem(text: string): string | null {
  const trimmed = text.trim();
  if (trimmed === '' || TEMPLATE.test(trimmed)) return null;
  try {
    JSON.parse(trimmed);
    return null;
  } catch (error) {
    return `is not valid JSON: ${(error as Error).message}`;
  }
}
