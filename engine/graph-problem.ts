/** One thing wrong with a graph, located precisely enough for the canvas to mark the node and field. */
export interface GraphProblem {
  /** Dotted location, e.g. `nodes.fetch.data.config.url` or `edges.e3.targetHandle`. */
  path: string;
  message: string;
  nodeId?: string;
  edgeId?: string;
}

export class GraphValidationError extends Error {
  override name = 'GraphValidationError';

  constructor(readonly problems: GraphProblem[]) {
    super(`the graph has ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n${problems.map((p) => `  - ${p.path}: ${p.message}`).join('\n')}`);
  }
}
