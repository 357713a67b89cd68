import { Debounce } from './debounce';
import type { WorkflowEditor } from './workflow-editor.svelte';

/** Long enough after the last change that typing or dragging is one save, short enough that little is ever at risk. */
export const AUTOSAVE_DELAY_MS = 2000;
const PREFERENCE = 'kai.autosave';

/**
 * Saves the draft a moment after its last change, through the same save as the Save button (so problems become
 * warnings and a failure shows like a failed Save). Switched on or off per browser.
 */
export class Autosave {
  enabled = $state(localStorage.getItem(PREFERENCE) !== 'off');
  private readonly debounce = new Debounce(AUTOSAVE_DELAY_MS, () => this.fire());

  constructor(private readonly editor: WorkflowEditor) {}

  /** Called whenever the canvas changes: (re)starts the wait while there is something unsaved. */
  changed(): void {
    if (this.enabled && this.editor.canvas.dirty) this.debounce.schedule();
    else this.debounce.cancel();
  }

  setEnabled(enabled: boolean): void {
    this.enabled = enabled;
    localStorage.setItem(PREFERENCE, enabled ? 'on' : 'off');
    this.changed();
  }

  stop(): void {
    this.debounce.cancel();
  }

  private fire(): void {
    if (!this.editor.canvas.dirty || !this.enabled) return;
    // A save, publish or test run under way: try again once it has had time to finish.
    if (this.editor.busy !== null) this.debounce.schedule();
    else void this.editor.save('autosave');
  }
}
