import { getContext, setContext } from 'svelte';
import type { CanvasState } from './canvas-state.svelte';

/** What a canvas node reads besides its own data: the canvas (catalogue, problems, overlay) and run actions. */
export interface CanvasContext {
  canvas: CanvasState;
  /** Present while a run can be decided on: approves or rejects a waiting Approval node. */
  decide?: (nodeId: string, approved: boolean) => void;
}

const KEY = Symbol('canvas');

export function provideCanvas(context: CanvasContext): void {
  setContext(KEY, context);
}

export function useCanvas(): CanvasContext {
  return getContext<CanvasContext>(KEY);
}
