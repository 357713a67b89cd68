/**
 * Moments of opening the app, recorded as User Timing marks named `kai:<phase>` (milliseconds since navigation):
 * the canvas benchmark reads them to show where an open spends its time. A mark costs next to nothing.
 */
export type Phase = 'boot' | 'app' | 'editor-requests' | 'editor-data' | 'canvas-init';

export function markPhase(phase: Phase): void {
  performance.mark(`kai:${phase}`);
}
