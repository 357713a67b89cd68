import type { Graph } from './canvas-types';

/**
 * The graph as last saved, to tell whether the canvas still differs from it. Compared as the saved form (no
 * selection, sizes or sub-pixel positions), so undoing back to the saved state is no unsaved change.
 */
export class SavedGraph {
  private key: string;

  constructor(graph: Graph) {
    this.key = JSON.stringify(graph);
  }

  update(graph: Graph): void {
    this.key = JSON.stringify(graph);
  }

  matches(graph: Graph): boolean {
    return JSON.stringify(graph) === this.key;
  }
}
