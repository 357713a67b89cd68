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

export interface ConditionOptions {
  /**
   * Numeric operators compare numbers (and numeric text such as "1500") only. Off, they fall back to comparing text,
   * as runs planned before onTypeMismatch existed did: kept for their replay only.
   */
  strictNumbers?: boolean;
  /** What a numeric operator does with an operand that is no number: the rule is false, or the node fails. */
  onTypeMismatch?: 'false' | 'error';
}

const NUMERIC_OPERATORS: Partial<Record<ConditionOperator, (difference: number) => boolean>> = {
  greaterThan: (d) => d > 0,
  greaterThanOrEqual: (d) => d >= 0,
  lessThan: (d) => d < 0,
  lessThanOrEqual: (d) => d <= 0,
};

export function evaluateRules(rules: ConditionRule[], combine: 'all' | 'any', options: ConditionOptions = {}): boolean {
  const results = rules.map((rule) => evaluateRule(rule, options));
  return combine === 'all' ? results.every(Boolean) : results.some(Boolean);
}

export function evaluateRule({ left, operator, right }: ConditionRule, options: ConditionOptions = {}): boolean {
  if (isOutputRef(left) || isOutputRef(right)) {
    throw new ConditionError(
      'a condition operand reads an output stored outside Temporal (too large to branch on); ' +
        'extract the field you need with a Set node first',
    );
  }
  const numeric = NUMERIC_OPERATORS[operator];
  if (numeric && options.strictNumbers) return compareNumbers(left, operator, right, numeric, options.onTypeMismatch ?? 'false');
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

function compareNumbers(left: unknown, operator: ConditionOperator, right: unknown, holds: (difference: number) => boolean, onTypeMismatch: 'false' | 'error'): boolean {
  const x = toNumber(left);
  const y = toNumber(right);
  if (Number.isFinite(x) && Number.isFinite(y)) return holds(x - y);
  if (onTypeMismatch === 'false') return false;
  const [side, value] = Number.isFinite(x) ? ['right', right] : ['left', left];
  throw new ConditionError(`${operator} compares numbers, but its ${side} operand is ${describeValue(value)}; use exists or isEmpty to branch on a missing value`);
}

function describeValue(value: unknown): string {
  if (value === undefined) return 'missing';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** The comparison of runs planned before onTypeMismatch existed: text order when either side is no number. */
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
