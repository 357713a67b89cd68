import { caretContext, droppedAsVariable, insertReference, justOpened, REFERENCE_DRAG_TYPE, referenceDrag } from './template-caret';

/** The text with the reference inserted at the caret, written `|` in `marked`, and the caret shown after it. */
function pick(marked: string, path: (string | number)[], field: 'template' | 'expression' = 'template'): string {
  const caret = marked.indexOf('|');
  const text = marked.replace('|', '');
  const inserted = insertReference(text, caretContext(text, caret, caret, field), path);
  return `${inserted.text.slice(0, inserted.caret)}|${inserted.text.slice(inserted.caret)}`;
}

describe('inserting a reference at the caret', () => {
  it('writes a whole template where the caret is in plain text, keeping the text on both sides', () => {
    expect(pick('https://x.test/items/|?q=1', ['nodes', 'fetch', 'output', 'id'])).toBe('https://x.test/items/{{ nodes.fetch.output.id }}|?q=1');
  });

  it('completes a template being typed, adding the closing braces when they are missing', () => {
    expect(pick('Hello {{ nod|, bye', ['nodes', 'a', 'output'])).toBe('Hello {{ nodes.a.output }}|, bye');
    expect(pick('Hello {{|', ['input'])).toBe('Hello {{ input }}|');
  });

  it('replaces the template the caret is in through its existing closing braces, never doubling them', () => {
    expect(pick('A {{ nodes.a.out|put.x }} B', ['nodes', 'a', 'output', 'y'])).toBe('A {{ nodes.a.output.y }}| B');
    expect(pick('A {{ in|}} B {{ input }}', ['input', 'name'])).toBe('A {{ input.name }}| B {{ input }}');
  });

  it('writes a $ variable in JSONata: inside {{= }} and in a field that is an expression itself', () => {
    expect(pick('{{= $nodes.a| * 2 }}', ['nodes', 'a', 'output', 'n'])).toBe('{{= $nodes.a.output.n| * 2 }}');
    expect(pick('$sum(|)', ['nodes', 'a', 'output', 'items'], 'expression')).toBe('$sum($nodes.a.output.items|)');
    expect(pick('$inp| + 1', ['input', 'content-type'], 'expression')).toBe('$input.`content-type`| + 1');
  });

  it('replaces a selection', () => {
    const text = 'keep REPLACE keep';
    const inserted = insertReference(text, caretContext(text, 5, 12, 'template'), ['input']);
    expect(inserted.text).toBe('keep {{ input }} keep');
  });

  it('says what has been typed of the reference, and whether one is being written', () => {
    expect(caretContext('a {{ nodes.f', 12, 12, 'template')).toMatchObject({ typed: ' nodes.f', writing: true });
    expect(caretContext('a {{ x }} b', 11, 11, 'template')).toMatchObject({ typed: '', writing: false });
    expect(caretContext('$nodes.f', 8, 8, 'expression')).toMatchObject({ typed: '$nodes.f', writing: true });
    const opened = (text: string, field: 'template' | 'expression' = 'template') => justOpened(text, caretContext(text, text.length, text.length, field));
    expect(opened('a {{')).toBe(true);
    expect(opened('a {{ b')).toBe(false);
    expect(opened('{{= 1 + $')).toBe(true);
    expect(opened('$sum($', 'expression')).toBe(true);
    expect(opened('$s', 'expression')).toBe(false);
    expect(opened('a $')).toBe(false);
  });
});

describe('dropping a dragged field', () => {
  it('carries the template as text and the path for fields that read JSONata', () => {
    expect(referenceDrag(['nodes', 'a', 'output', 'id'])).toEqual({ 'text/plain': '{{ nodes.a.output.id }}', [REFERENCE_DRAG_TYPE]: '["nodes","a","output","id"]' });
  });

  it('turns the dropped template into a $ variable where the text is JSONata', () => {
    const path = ['nodes', 'a', 'output', 'id'];
    expect(droppedAsVariable('$sum() * 2', '$sum({{ nodes.a.output.id }}) * 2', path)).toEqual({ text: '$sum($nodes.a.output.id) * 2', caret: 23 });
    expect(droppedAsVariable('aa', 'a{{ nodes.a.output.id }}a', path)).toEqual({ text: 'a$nodes.a.output.ida', caret: 19 });
    expect(droppedAsVariable('', '{{ nodes.a.output.id }}', path)).toEqual({ text: '$nodes.a.output.id', caret: 18 });
    expect(droppedAsVariable('x', 'x typed', path)).toBeNull();
  });
});
