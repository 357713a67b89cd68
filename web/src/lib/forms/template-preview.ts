import { evaluateExpression, ExpressionError, findTemplates, parseExpression, parsePath, referencedNodes, resolveTemplates, TemplateError } from '$contract/templates';
import type { ReferenceSyntax } from './template-suggestions';
import type { TemplateData } from './template-data';

/** What a field's preview says: the resolved value, why there is none yet, or what is wrong with the text. */
export type Preview = { kind: 'value'; text: string } | { kind: 'unknown'; reason: string } | { kind: 'error'; message: string };

export const RUN_A_TEST = 'run a test to preview';

/**
 * A field's value resolved over what the canvas knows (pins, the last run), with the engine's own template and
 * JSONata code; null when the value reads nothing, so there is nothing to preview. A field that is JSONata itself
 * (`expression`) is evaluated whole. A reference to a node (or the input) with no known data is not resolved to an
 * empty value: the preview says which data is missing instead.
 */
export function previewOf(value: unknown, syntax: ReferenceSyntax, { scope, inputKnown }: TemplateData): Preview | null {
  const field = 'preview';
  try {
    if (syntax === 'expression') {
      if (typeof value !== 'string' || value.trim() === '') return null;
      const missing = missingNodes(referencedNodes(parseExpression(value, field)), scope.nodes);
      if (missing) return missing;
      return valueText(evaluateExpression(value, { scope, field }));
    }
    const templates = findTemplates(value);
    if (templates.length === 0) return null;
    for (const template of templates) {
      if (template.kind === 'expression') {
        const missing = missingNodes(referencedNodes(parseExpression(template.expression, field)), scope.nodes);
        if (missing) return missing;
        continue;
      }
      const [root, id] = parsePath(template.expression);
      if (root === 'input' && !inputKnown) return { kind: 'unknown', reason: `the run input is not known yet: ${RUN_A_TEST}` };
      if (root === 'incoming' && Object.keys(scope.incoming).length === 0) return { kind: 'unknown', reason: `the incoming value is not known yet: ${RUN_A_TEST}` };
      if (root === 'nodes') {
        const missing = missingNodes([String(id)], scope.nodes);
        if (missing) return missing;
      }
    }
    return valueText(resolveTemplates(value, scope, [field]));
  } catch (error) {
    if (error instanceof ExpressionError) return { kind: 'error', message: error.reason };
    if (error instanceof TemplateError) return { kind: 'error', message: error.message };
    throw error;
  }
}

function missingNodes(read: string[] | 'all', known: Record<string, unknown>): Preview | null {
  const missing = read === 'all' ? [] : read.filter((id) => !Object.hasOwn(known, id));
  if (missing.length === 0) return null;
  return { kind: 'unknown', reason: `no output of ${missing.join(', ')} yet (pin one or ${RUN_A_TEST})` };
}

function valueText(value: unknown): Preview {
  if (value === undefined) return { kind: 'value', text: '(nothing: the path reads no value)' };
  return { kind: 'value', text: typeof value === 'string' ? value : JSON.stringify(value, null, 2) };
}
