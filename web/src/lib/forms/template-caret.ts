import { pathText, type ReferenceSyntax } from './template-suggestions';
import type { PathSegment } from '$contract/templates';

/** Where a chosen reference goes in a field's text, and what of it has been typed. */
export interface CaretContext {
  /** How the reference is written there. */
  syntax: ReferenceSyntax;
  /** The range the reference replaces: an open `{{ …` template (through its `}}`), a `$name` being typed, or the selection. */
  from: number;
  to: number;
  /** What has been typed of the reference, to narrow the suggestions. */
  typed: string;
  /** The caret is in a reference being written (after `{{` or on a `$name`), so suggestions stay offered as one types. */
  writing: boolean;
}

/** A JSONata variable path being typed just before the caret. */
const VARIABLE_BEFORE = /\$[\w$.[\]`"-]*$/;
/** The rest of a path template after the caret, through its closing braces, on one line. */
const PATH_REST = /^[^{}\n]*\}\}/;

/**
 * What the caret (or the selection from `start` to `end`) is in. In a field that is JSONata itself every reference
 * is a `$` variable; elsewhere, inside `{{= … }}` too, and inside `{{ … }}` the template is replaced whole.
 */
export function caretContext(text: string, start: number, end: number, field: ReferenceSyntax): CaretContext {
  const before = text.slice(0, start);
  const open = before.lastIndexOf('{{');
  const insideTemplate = field === 'template' && open >= 0 && open > before.lastIndexOf('}}');
  if (field === 'expression' || (insideTemplate && text[open + 2] === '=')) {
    const variable = VARIABLE_BEFORE.exec(before)?.[0];
    if (variable) return { syntax: 'expression', from: start - variable.length, to: end, typed: variable, writing: true };
    return { syntax: 'expression', from: start, to: end, typed: '', writing: insideTemplate };
  }
  if (!insideTemplate) return { syntax: 'template', from: start, to: end, typed: '', writing: false };
  const rest = PATH_REST.exec(text.slice(end))?.[0] ?? '';
  return { syntax: 'template', from: open, to: end + rest.length, typed: before.slice(open + 2), writing: true };
}

/** The text with `path` written into the context's range (a template closed with `}}`), and the caret just after it. */
export function insertReference(text: string, context: CaretContext, path: readonly PathSegment[]): { text: string; caret: number } {
  const reference = context.syntax === 'expression' ? pathText(path, 'expression') : `{{ ${pathText(path, 'template')} }}`;
  return { text: `${text.slice(0, context.from)}${reference}${text.slice(context.to)}`, caret: context.from + reference.length };
}

/**
 * True when what was just typed opens a reference, the moment the suggestions open by themselves: `{{`, or `$` where
 * references are JSONata variables.
 */
export function justOpened(text: string, context: CaretContext): boolean {
  const before = text.slice(0, context.to);
  return before.endsWith('{{') || (context.syntax === 'expression' && context.typed === '$');
}

/** The drag type that carries a reference's path (JSON) beside its `{{ template }}` as plain text. */
export const REFERENCE_DRAG_TYPE = 'application/x-kai-reference';

/** What a dragged field of a known output carries: a text field takes the template where it is dropped. */
export function referenceDrag(path: readonly PathSegment[]): Record<string, string> {
  return { 'text/plain': `{{ ${pathText(path, 'template')} }}`, [REFERENCE_DRAG_TYPE]: JSON.stringify(path) };
}

/**
 * A field that is JSONata itself reads `$` variables: the template the browser dropped into its text (found as what
 * `next` has that `previous` lacks) becomes the variable, with the caret after it. Null when nothing is to change.
 */
export function droppedAsVariable(previous: string, next: string, path: readonly PathSegment[]): { text: string; caret: number } | null {
  let start = 0;
  while (start < previous.length && previous[start] === next[start]) start++;
  let end = next.length;
  while (end > start && next.length - end < previous.length - start && previous[previous.length - (next.length - end) - 1] === next[end - 1]) end--;
  if (next.slice(start, end) !== referenceDrag(path)['text/plain']) return null;
  const variable = pathText(path, 'expression');
  return { text: `${next.slice(0, start)}${variable}${next.slice(end)}`, caret: start + variable.length };
}
