import jsonata from 'jsonata';
import { holdsStoredOutput } from './output-ref';
import { isPlainObject } from './plain-object';
import type { TemplateScope } from './templates';

/**
 * JSONata expressions (`{{= $nodes.s1.output.value * 2 }}`, a Transform's expression): computed values over the run's
 * input, upstream outputs and incoming values, bound as `$input`, `$nodes` and `$incoming`, with `$` the incoming
 * `in` value. JSONata is interpreted, never compiled to JavaScript, so an expression reaches nothing but what is bound.
 *
 * The interpreter workflow evaluates them, so they must be deterministic, bounded and cheap:
 * - `$now()`, `$millis()`, `$random()` and `$shuffle()` read the sandbox's `Date` and `Math.random`, which Temporal
 *   makes the workflow's clock (the time of the current workflow task) and its seeded random: a replay sees the same.
 * - Evaluation is bounded by steps, depth and range sizes counted by JSONata's own hooks, not by wall-clock time (the
 *   workflow clock does not move during a task), and every intermediate text, sequence and the value by size.
 * - JSONata 1.8 evaluates synchronously (2.x awaits a promise at every step, and Temporal's sandbox records a stack
 *   trace for every promise a workflow makes): an expression creates no promise, so it costs what a Set costs.
 */

/** Longest expression text accepted. */
export const EXPRESSION_SOURCE_MAX = 10_000;
/**
 * Evaluation steps (JSONata `evaluate` calls) one expression may take. A step costs 5–8 µs in the workflow sandbox on a
 * loaded 2-core machine (100,000 took 0.56–0.84 s of a workflow task), so the worst expression stays near 0.4 s, far
 * from the task's 5 s limit, while filtering, mapping and summing thousands of items fits.
 */
export const EXPRESSION_STEPS_MAX = 50_000;
/**
 * Nesting depth of evaluation (recursion that is not a tail call): each level holds a few generator frames on the
 * JavaScript stack, which overflows near 1,100 levels in plain Node and sooner inside a workflow activation.
 */
export const EXPRESSION_DEPTH_MAX = 300;
/** Items in one sequence or range (checked before a range is built). */
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

type EvaluationHook = (node: jsonata.ExprNode, input: unknown, environment: unknown, result?: unknown) => void;

/** Parses an expression; the error names the position and token of the first syntax error. */
export function parseExpression(source: string, field: string): jsonata.Expression {
  if (source.trim() === '') throw new ExpressionError(field, 'empty expression');
  if (source.length > EXPRESSION_SOURCE_MAX) {
    throw new ExpressionError(field, `expression is ${source.length} characters long; at most ${EXPRESSION_SOURCE_MAX} are allowed`);
  }
  try {
    return jsonata(source);
  } catch (error) {
    throw describeFailure(error, source, field);
  }
}

/** Evaluates an expression to plain JSON (undefined when it selects nothing); any failure is an ExpressionError. */
export function evaluateExpression(source: string, { scope, field }: ExpressionContext): unknown {
  const expression = parseExpression(source, field);
  refuseStoredOutputs(expression, scope, field);
  const bounds = evaluationBounds(expression.ast());
  expression.assign('__evaluate_entry', bounds.entry);
  expression.assign('__evaluate_exit', bounds.exit);
  let value: unknown;
  try {
    value = expression.evaluate(scope.incoming.in, { input: scope.input, nodes: scope.nodes, incoming: scope.incoming });
  } catch (error) {
    throw describeFailure(error, source, field);
  }
  return toJson(value, field);
}

/**
 * JSONata calls `entry` before and `exit` after every evaluation step (exit only when the step did not throw, and an
 * error ends the evaluation). A range's bounds are checked as its right-hand side is known, before JSONata allocates
 * it (it allows 10 million items, which take most of a second).
 */
function evaluationBounds(ast: jsonata.ExprNode): { entry: EvaluationHook; exit: EvaluationHook } {
  const rangeSides = new Map<object, { side: 'lhs' | 'rhs'; starts: unknown[] }>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!isPlainObject(node)) return;
    if (node.type === 'binary' && node.value === '..' && isPlainObject(node.lhs) && isPlainObject(node.rhs)) {
      const starts: unknown[] = [];
      rangeSides.set(node.lhs, { side: 'lhs', starts });
      rangeSides.set(node.rhs, { side: 'rhs', starts });
    }
    Object.values(node).forEach(visit);
  };
  visit(ast);
  let steps = 0;
  let depth = 0;
  return {
    entry: () => {
      if (++steps > EXPRESSION_STEPS_MAX) throw boundExceeded('KAI_STEPS', `expression took more than ${EXPRESSION_STEPS_MAX} evaluation steps`);
      if (++depth > EXPRESSION_DEPTH_MAX) throw boundExceeded('KAI_DEPTH', `expression nested deeper than ${EXPRESSION_DEPTH_MAX} evaluation levels (recursion that is not a tail call?)`);
    },
    exit: (node, _input, _environment, result) => {
      depth--;
      if (typeof result === 'string' && result.length > EXPRESSION_VALUE_MAX) {
        throw boundExceeded('KAI_SIZE', `expression built a text of ${result.length} characters; at most ${EXPRESSION_VALUE_MAX} are allowed`);
      }
      if (Array.isArray(result) && result.length > EXPRESSION_SEQUENCE_MAX) {
        throw boundExceeded('KAI_SEQUENCE', `expression built a sequence of ${result.length} items; at most ${EXPRESSION_SEQUENCE_MAX} are allowed`);
      }
      const range = rangeSides.get(node);
      if (range?.side === 'lhs') range.starts.push(singleValue(result));
      if (range?.side === 'rhs') {
        const start = range.starts.pop();
        const end = singleValue(result);
        if (typeof start === 'number' && typeof end === 'number' && end - start + 1 > EXPRESSION_SEQUENCE_MAX) {
          throw boundExceeded('KAI_SEQUENCE', `range [${start}..${end}] has ${end - start + 1} items; at most ${EXPRESSION_SEQUENCE_MAX} are allowed`);
        }
      }
    },
  };
}

/** A step's result before JSONata unwraps a one-item sequence into its item. */
function singleValue(result: unknown): unknown {
  return Array.isArray(result) && result.length === 1 ? result[0] : result;
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
