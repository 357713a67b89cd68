import type { MathJsInstance } from 'mathjs';

/**
 * A mathjs instance for expressions a model or a user writes, locked down as mathjs's security guide advises
 * (https://mathjs.org/docs/expressions/security.html): mathjs parses and interprets the expression itself, never
 * JavaScript, and the functions that reach the parser or the instance's configuration are disabled. Functions that
 * build arrays of a size given in the expression are disabled too: `ones(1e9)` or `1:1e9` would hold the worker.
 */
const DISABLED = ['import', 'createUnit', 'reviver', 'evaluate', 'parse', 'compile', 'parser', 'simplify', 'simplifyConstant', 'simplifyCore',
  'derivative', 'resolve', 'rationalize', 'leafCount', 'range', 'ones', 'zeros', 'identity', 'resize', 'diag', 'random', 'randomInt', 'pickRandom', 'matrixFromFunction'];

export const MAX_EXPRESSION_LENGTH = 1000;

interface LimitedMath {
  evaluate: MathJsInstance['evaluate'];
  format: MathJsInstance['format'];
}

let loading: Promise<LimitedMath> | undefined;

/** mathjs is loaded by the first calculation (it holds ~70 MiB): a server that never calculates never pays for it. */
function limitedMath(): Promise<LimitedMath> {
  loading ??= import('mathjs').then(({ all, create }) => {
    const math = create(all);
    const limited = { evaluate: math.evaluate.bind(math), format: math.format.bind(math) };
    math.import(
      Object.fromEntries(
        DISABLED.map((name) => [
          name,
          () => {
            throw new Error(`function ${name} is not available in the calculator`);
          },
        ]),
      ),
      { override: true },
    );
    return limited;
  });
  return loading;
}

export interface Calculation {
  /** The result as mathjs prints it (numbers to 14 significant digits, units, matrices). */
  result: string;
  /** The result when it is a plain finite number. */
  value?: number;
}

/** Evaluates one expression (or several separated by `;` or new lines: the last one's value counts). Throws on bad input. */
export async function calculate(expression: string): Promise<Calculation> {
  if (expression.length > MAX_EXPRESSION_LENGTH) throw new Error(`the expression is longer than ${MAX_EXPRESSION_LENGTH} characters`);
  const { evaluate, format } = await limitedMath();
  const evaluated: unknown = evaluate(expression, {});
  const last = isResultSet(evaluated) ? evaluated.entries.at(-1) : evaluated;
  if (typeof last === 'function') throw new Error('the expression defines a function but computes no value');
  const result = format(last, { precision: 14 });
  return typeof last === 'number' && Number.isFinite(last) ? { result, value: last } : { result };
}

function isResultSet(value: unknown): value is { entries: unknown[] } {
  return typeof value === 'object' && value !== null && (value as { type?: unknown }).type === 'ResultSet';
}
