export type ShortcutAction = 'undo' | 'redo' | 'copy' | 'paste' | 'selectAll' | 'layout' | 'fit' | 'connect';

/** The canvas's keyboard shortcuts (Delete/Backspace deletes, handled by xyflow), listed for the help line. */
export const SHORTCUTS: readonly [string, string][] = [
  ['Ctrl/⌘ Z', 'undo'],
  ['Ctrl/⌘ Shift Z, Ctrl Y', 'redo'],
  ['Ctrl/⌘ C / V', 'copy / paste'],
  ['Ctrl/⌘ A', 'select all'],
  ['Delete', 'delete selection'],
  ['Shift L', 'auto-layout'],
  ['F', 'zoom to fit'],
  ['Tab', 'focus the next node'],
  ['C', 'connect the focused node: arrows or Tab pick the input, Enter connects, Escape cancels'],
];

export function shortcutOf(event: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey'>): ShortcutAction | null {
  const key = event.key.toLowerCase();
  if (event.altKey) return null;
  if (event.ctrlKey || event.metaKey) {
    if (key === 'z') return event.shiftKey ? 'redo' : 'undo';
    if (key === 'y') return 'redo';
    if (key === 'c') return 'copy';
    if (key === 'v') return 'paste';
    if (key === 'a') return 'selectAll';
    return null;
  }
  if (key === 'l' && event.shiftKey) return 'layout';
  if (key === 'f' && !event.shiftKey) return 'fit';
  if (key === 'c' && !event.shiftKey) return 'connect';
  return null;
}

/** Shortcuts stay out of the way while someone types into a field. */
export function isEditingText(target: EventTarget | null): boolean {
  const element = target as HTMLElement | null;
  return !!element && (element.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(element.tagName));
}
