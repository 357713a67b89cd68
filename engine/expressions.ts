import jsonata from 'jsonata';
import { holdsStoredOutput } from './output-ref';
import { findTemplates, isPlainObject, type TemplateScope } from './templates';

/**
 * JSONata expressions (`{{= $nodes.s1.output.value * 2 }}`, a Transform's expression): computed values over the run's
 * input, upstream outputs and incoming values, bound as `$input`, `$nodes` and `$incoming`, with `$` the incoming
 * `in` value. JSONata is interpreted, never compiled to JavaScript, so an expression reaches nothing but what is bound.
 *
 * The interpreter workflow evaluates them, so they must be deterministic and bounded:
 * - `$now()`, `$millis()`, `$random()` and `$shuffle()` read the sandbox's `Date` and `Math.random`, which Temporal
 *   makes the workflow's clock (the time of the current workflow task) and its seeded random: a replay sees the same.
 * - Evaluation is bounded by steps and depth counted by JSONata's own hooks, not by wall-clock time (the workflow clock
 *   does not move during a task), and every intermediate text and the value by size.
 */

/** Longest expression text accepted. */
export const EXPRESSION_SOURCE_MAX = 10_000;
/**
 * Evaluation steps (JSONata `evaluate` calls) one expression may take. In the workflow sandbox a step costs about half
 * a millisecond (JSONata awaits at every step, and Temporal records a stack trace for every promise a workflow makes),
 * so this keeps the worst expression near half a second of a workflow task, far from its 5 s limit.
 */
export const EXPRESSION_STEPS_MAX = 1_000;
/** Nesting depth of evaluation (recursion that is not a tail call). */
export const EXPRESSION_DEPTH_MAX = 100;
/** Items in one sequence (JSONata refuses ranges or results longer). */
export const EXPRESSION_SEQUENCE_MAX = 100_000;
/** Characters of any text built on the way, and of the value as JSON. */
export const EXPRESSION_VALUE_MAX = 256 * 1024;

export interface ExpressionFailure {
  code?: string;
  /** Character offset in the expression JSONata reports the problem at (1-based, at or just past the token). */
  position?: number;
  token?: string;
}

/** Fails a node (or a save) as `<field>: <reason>`; the reason alone names the position and token. */
export class ExpressionError extends Error {
  override name = 'ExpressionError';

  constructor(
    readonly field: string,
    readonly reason: string,
    readonly failure: ExpressionFailure = {},
  ) {
    super(`${field}: ${reason}`);
  }
}

/** What an expression may read: `$` and the variables bound for it. */
export interface ExpressionContext {
  scope: TemplateScope;
  /** Where the expression is written, e.g. `config.values.total`: named in every error. */
  field: string;
}

/** JSONata calls these around every evaluation step; they are bound by symbol, which its typings of `assign` leave out. */
type AssignHook = (name: symbol, hook: (node: unknown, input: unknown, environment: unknown, result?: unknown) => void) => void;
const ENTRY_HOOK = Symbol.for('jsonata.__evaluate_entry');
const EXIT_HOOK = Symbol.for('jsonata.__evaluate_exit');

/** Parses an expression; the error names the position and token of the first syntax error. */
export function parseExpression(source: string, field: string): jsonata.Expression {
  if (source.trim() === '') throw new ExpressionError(field, 'empty expression');
  if (source.length > EXPRESSION_SOURCE_MAX) {
    throw new ExpressionError(field, `expression is ${source.length} characters long; at most ${EXPRESSION_SOURCE_MAX} are allowed`);
  }
  try {
    return jsonata(source, { stack: EXPRESSION_DEPTH_MAX, sequence: EXPRESSION_SEQUENCE_MAX });
  } catch (error) {
    throw describeFailure(error, source, field);
  }
}

/** Evaluates an expression to plain JSON (undefined when it selects nothing); any failure is an ExpressionError. */
export async function evaluateExpression(source: string, { scope, field }: ExpressionContext): Promise<unknown> {
  const expression = parseExpression(source, field);
  refuseStoredOutputs(expression, scope, field);
  let steps = 0;
  const assignHook = expression.assign as unknown as AssignHook;
  assignHook(ENTRY_HOOK, () => {
    if (++steps > EXPRESSION_STEPS_MAX) throw boundExceeded('KAI_STEPS', `expression took more than ${EXPRESSION_STEPS_MAX} evaluation steps`);
  });
  assignHook(EXIT_HOOK, (_node, _input, _environment, result) => {
    if (typeof result === 'string' && result.length > EXPRESSION_VALUE_MAX) {
      throw boundExceeded('KAI_SIZE', `expression built a text of ${result.length} characters; at most ${EXPRESSION_VALUE_MAX} are allowed`);
    }
  });
  let value: unknown;
  try {
    value = await expression.evaluate(scope.incoming.in, { input: scope.input, nodes: scope.nodes, incoming: scope.incoming });
  } catch (error) {
    throw describeFailure(error, source, field);
  }
  return toJson(value, field);
}

/**
 * Evaluates every `{{= }}` in a value, one after another in field order, for resolveTemplates to read from the
 * scope's `expressions`; errors name the field by its path in the value (`config.values.total`).
 */
export async function evaluateTemplateExpressions(value: unknown, scope: TemplateScope): Promise<Map<string, unknown>> {
  const values = new Map<string, unknown>();
  for (const template of findTemplates(value)) {
    if (template.kind !== 'expression' || values.has(template.expression)) continue;
    values.set(template.expression, await evaluateExpression(template.expression, { scope, field: template.field.join('.') }));
  }
  return values;
}

/** Node ids an expression reads through `$nodes.<id>`; `all` when it reaches `$nodes` any other way. */
export function referencedNodes(expression: jsonata.Expression): string[] | 'all' {
  const ids = new Set<string>();
  let all = false;
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!isPlainObject(node)) return;
    const steps = node.type === 'path' && Array.isArray(node.steps) ? (node.steps as Record<string, unknown>[]) : undefined;
    if (steps && isNodesVariable(steps[0]) && steps[1]?.type === 'name' && !steps[0].predicate && !steps[0].stages) {
      ids.add(String(steps[1].value));
      steps.slice(1).forEach(visit);
      return;
    }
    if (isNodesVariable(node)) all = true;
    Object.values(node).forEach(visit);
  };
  visit(expression.ast());
  return all ? 'all' : [...ids];
}

function isNodesVariable(node: Record<string, unknown> | undefined): node is Record<string, unknown> {
  return node?.type === 'variable' && node.value === 'nodes';
}

/**
 * A stored output (too large for the run, kept outside Temporal) is only a reference here: an expression reading it
 * would silently see nothing, so it fails instead. Stored outputs are read by plain `{{ path }}` templates, which an
 * activity completes after loading them.
 */
function refuseStoredOutputs(expression: jsonata.Expression, scope: TemplateScope, field: string): void {
  const referenced = referencedNodes(expression);
  const ids = referenced === 'all' ? Object.keys(scope.nodes) : referenced;
  const stored = [
    ...ids.filter((id) => holdsStoredOutput(scope.nodes[id]?.output)).map((id) => `$nodes.${id}`),
    ...(holdsStoredOutput(scope.input) ? ['$input'] : []),
    ...(holdsStoredOutput(scope.incoming) ? ['$incoming'] : []),
  ];
  if (stored.length > 0) {
    throw new ExpressionError(
      field,
      `${stored.join(', ')} ${stored.length === 1 ? 'holds' : 'hold'} a stored output (too large to carry in the run), which expressions cannot read; read it with a {{ path }} template in a node that runs as an activity`,
    );
  }
}

/** Plain JSON: JSONata sequences become arrays, functions are dropped, and the size is bounded. */
function toJson(value: unknown, field: string): unknown {
  if (value === undefined) return undefined;
  const json = JSON.stringify(value, (_key, item: unknown) => (isFunctionValue(item) ? undefined : item));
  if (json === undefined) return undefined;
  if (json.length > EXPRESSION_VALUE_MAX) {
    throw new ExpressionError(field, `expression value is ${json.length} characters as JSON; at most ${EXPRESSION_VALUE_MAX} are allowed`);
  }
  return JSON.parse(json);
}

/** Thrown from a hook like JSONata's own errors: with a code, to which JSONata adds the position it was at. */
function boundExceeded(code: string, message: string): Error & ExpressionFailure {
  return Object.assign(new Error(message), { code });
}

/** JSONata functions are objects holding their closure (circular), or native functions. */
function isFunctionValue(value: unknown): boolean {
  return typeof value === 'function' || (isPlainObject(value) && (value._jsonata_lambda === true || value._jsonata_function === true));
}

function describeFailure(error: unknown, source: string, field: string): ExpressionError {
  const failure = (isPlainObject(error) || error instanceof Error ? error : {}) as ExpressionFailure & { message?: string };
  const at = failure.position === undefined ? '' : ` at position ${failure.position}${failure.token === undefined ? '' : ` ("${failure.token}")`}`;
  const code = failure.code === undefined ? '' : ` [${failure.code}]`;
  const message = failure.message ?? String(error);
  return new ExpressionError(field, `${message}${at} in "${excerpt(source)}"${code}`, { code: failure.code, position: failure.position, token: failure.token });
}

function excerpt(source: string): string {
  const text = source.trim();
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
