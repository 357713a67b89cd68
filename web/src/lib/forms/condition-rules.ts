import { parseNumberInput } from './schema-fields';

/**
 * The Condition node's rules as rows of a form: operand texts and an operator picked from groups by the kind of
 * comparison, as n8n's If node offers them. Each operator sits in one group, so a saved rule (`{ left, operator,
 * right? }`, the node's schema, which holds no kind) always shows as it was picked.
 */

export interface ConditionRule {
  left?: unknown;
  operator: string;
  right?: unknown;
}

export type RuleKind = 'equality' | 'text' | 'number' | 'boolean' | 'presence' | 'other';

export interface OperatorGroup {
  kind: RuleKind;
  label: string;
  choices: { operator: string; label: string }[];
}

/** equals and notEquals compare "42" and 42 alike (engine/conditions.ts), so they belong to no one kind. */
const GROUPS: { kind: RuleKind; label: string; operators: [operator: string, label: string][] }[] = [
  {
    kind: 'equality',
    label: 'Equality',
    operators: [
      ['equals', 'is equal to'],
      ['notEquals', 'is not equal to'],
    ],
  },
  {
    kind: 'text',
    label: 'Text',
    operators: [
      ['contains', 'contains'],
      ['notContains', 'does not contain'],
      ['startsWith', 'starts with'],
      ['endsWith', 'ends with'],
    ],
  },
  {
    kind: 'number',
    label: 'Number',
    operators: [
      ['greaterThan', 'is greater than'],
      ['greaterThanOrEqual', 'is greater than or equal to'],
      ['lessThan', 'is less than'],
      ['lessThanOrEqual', 'is less than or equal to'],
    ],
  },
  {
    kind: 'boolean',
    label: 'Boolean',
    operators: [
      ['isTrue', 'is true'],
      ['isFalse', 'is false'],
    ],
  },
  {
    kind: 'presence',
    label: 'Presence',
    operators: [
      ['exists', 'exists'],
      ['notExists', 'does not exist'],
      ['isEmpty', 'is empty'],
      ['isNotEmpty', 'is not empty'],
    ],
  },
];

/** Operators that read the left operand only: their rows have no right value. */
const UNARY = new Set(['exists', 'notExists', 'isEmpty', 'isNotEmpty', 'isTrue', 'isFalse']);

export function isUnary(operator: string): boolean {
  return UNARY.has(operator);
}

/**
 * The operators the schema allows (its enum), grouped by kind with readable names. An operator this module does not
 * know yet is still offered, by its name, under "Other", so a newer engine never leaves a rule unpickable.
 */
export function operatorGroups(operators: readonly string[]): OperatorGroup[] {
  const allowed = new Set(operators);
  const groups: OperatorGroup[] = GROUPS.map(({ kind, label, operators: named }) => ({
    kind,
    label,
    choices: named.filter(([operator]) => allowed.has(operator)).map(([operator, name]) => ({ operator, label: name })),
  }));
  const others = operators.filter((operator) => kindOf(operator) === 'other').map((operator) => ({ operator, label: operator }));
  return [...groups, { kind: 'other' as const, label: 'Other', choices: others }].filter((group) => group.choices.length > 0);
}

export function kindOf(operator: string): RuleKind {
  return GROUPS.find((group) => group.operators.some(([known]) => known === operator))?.kind ?? 'other';
}

/**
 * A rule with another operator. A Number operator reads numeric text as its number; other operands are kept as they
 * are (a rule written as JSON may compare with `true` or a list). A unary operator drops the right operand.
 */
export function withOperator(rule: ConditionRule, operator: string): ConditionRule {
  const kind = kindOf(operator);
  const read = (operand: unknown) => (typeof operand === 'string' ? operandOf(kind, operand) : operand);
  const left = read(rule.left ?? '');
  return isUnary(operator) ? { left, operator } : { left, operator, right: read(rule.right ?? '') };
}

/** A rule with one operand changed to what was typed, read as the rule's kind. */
export function withOperand(rule: ConditionRule, side: 'left' | 'right', text: string): ConditionRule {
  return { ...rule, [side]: operandOf(kindOf(rule.operator), text) };
}

/**
 * What was typed as an operand's value: a number in a numeric rule (a `{{ template }}` stays text), text otherwise.
 * Empty stays empty text, not missing: the schema requires a left operand.
 */
export function operandOf(kind: RuleKind, text: string): unknown {
  if (kind !== 'number' || text.trim() === '') return text;
  return parseNumberInput(text);
}

/** An operand as the text of its input: rules written as JSON may hold numbers, booleans or objects. */
export function textOf(operand: unknown): string {
  if (operand === undefined || operand === null) return '';
  return typeof operand === 'string' ? operand : JSON.stringify(operand);
}

/** The rule a new row starts with. */
export function blankRule(): ConditionRule {
  return { left: '', operator: 'equals', right: '' };
}

/** The rules with the one at `index` moved by `offset` places; unchanged when that would leave the list. */
export function moveRule(rules: readonly ConditionRule[], index: number, offset: number): ConditionRule[] {
  const target = index + offset;
  if (target < 0 || target >= rules.length) return [...rules];
  const moved = [...rules];
  [moved[index], moved[target]] = [moved[target], moved[index]];
  return moved;
}

/** A saved value as rules: anything but a list of objects with an operator (a half-typed JSON value) reads as none. */
export function rulesOf(value: unknown): ConditionRule[] {
  if (!Array.isArray(value)) return [];
  return value.filter((rule): rule is ConditionRule => rule !== null && typeof rule === 'object' && typeof (rule as ConditionRule).operator === 'string');
}
