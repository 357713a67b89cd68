import { isOutputRef } from './output-ref';

/** Comparison operators of the Condition node; pure and deterministic, evaluated inside the workflow. */
export const conditionOperators = [
  'equals',
  'notEquals',
  'greaterThan',
  'greaterThanOrEqual',
  'lessThan',
  'lessThanOrEqual',
  'contains',
  'notContains',
  'startsWith',
  'endsWith',
  'exists',
  'notExists',
  'isEmpty',
  'isNotEmpty',
  'isTrue',
  'isFalse',
] as const;
export type ConditionOperator = (typeof conditionOperators)[number];

export interface ConditionRule {
  left?: unknown;
  operator: ConditionOperator;
  right?: unknown;
}

export class ConditionError extends Error {
  override name = 'ConditionError';
}

export function evaluateRules(rules: ConditionRule[], combine: 'all' | 'any'): boolean {
  const results = rules.map(evaluateRule);
  return combine === 'all' ? results.every(Boolean) : results.some(Boolean);
}

export function evaluateRule({ left, operator, right }: ConditionRule): boolean {
  if (isOutputRef(left) || isOutputRef(right)) {
    throw new ConditionError(
      'a condition operand reads an output stored outside Temporal (too large to branch on); ' +
        'extract the field you need with a Set node first',
    );
  }
  switch (operator) {
    case 'equals':
      return looseEquals(left, right);
    case 'notEquals':
      return !looseEquals(left, right);
    case 'greaterThan':
      return compare(left, right) > 0;
    case 'greaterThanOrEqual':
      return compare(left, right) >= 0;
    case 'lessThan':
      return compare(left, right) < 0;
    case 'lessThanOrEqual':
      return compare(left, right) <= 0;
    case 'contains':
      return contains(left, right);
    case 'notContains':
      return !contains(left, right);
    case 'startsWith':
      return typeof left === 'string' && left.startsWith(String(right ?? ''));
    case 'endsWith':
      return typeof left === 'string' && left.endsWith(String(right ?? ''));
    case 'exists':
      return left !== undefined && left !== null;
    case 'notExists':
      return left === undefined || left === null;
    case 'isEmpty':
      return isEmpty(left);
    case 'isNotEmpty':
      return !isEmpty(left);
    case 'isTrue':
      return left === true || left === 'true';
    case 'isFalse':
      return left === false || left === 'false';
  }
}

/** Templates yield text from interpolation, so "42" and 42 compare equal, as a person reading the canvas expects. */
function looseEquals(a: unknown, b: unknown): boolean {
  if (typeof a === 'object' || typeof b === 'object') return JSON.stringify(a) === JSON.stringify(b);
  if (typeof a === 'number' || typeof b === 'number') return toNumber(a) === toNumber(b);
  return String(a) === String(b);
}

function compare(a: unknown, b: unknown): number {
  const x = toNumber(a);
  const y = toNumber(b);
  if (!Number.isNaN(x) && !Number.isNaN(y)) return x - y;
  return String(a).localeCompare(String(b));
}

function toNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '') return Number(value);
  return Number.NaN;
}

function contains(haystack: unknown, needle: unknown): boolean {
  if (typeof haystack === 'string') return haystack.includes(String(needle ?? ''));
  if (Array.isArray(haystack)) return haystack.some((item) => looseEquals(item, needle));
  if (typeof haystack === 'object' && haystack !== null) {
    return Object.prototype.hasOwnProperty.call(haystack, String(needle));
  }
  return false;
}

function isEmpty(value: unknown): boolean {
  if (value === undefined || value === null || value === '') return true;
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === 'object') return Object.keys(value).length === 0;
  return false;
}
