import type { ErrorDetail } from '$contract/errors';
import { inWords } from '../api/in-words';

/** A graph problem as the canvas places it: on a node (and a field of its data), on an edge, or on the graph. */
export interface PlacedProblem {
  message: string;
  nodeId?: string;
  edgeId?: string;
  /** The field inside the node's data, e.g. `config.url` or `retry.maximumAttempts`; empty for the node itself. */
  field: string;
}

const NODE_PATH = /^nodes\.([^.]+)(?:\.data)?(?:\.(.*))?$/;

/**
 * Places the details of an `invalid_graph` answer, or a saved draft's problems. Their paths start where the request
 * held the graph (`body.graph.nodes.fetch.data.config.url`, `draft.…` when publishing, none for a draft's problems);
 * only the part inside the node's data names a form field.
 */
export function placeProblems(details: readonly ErrorDetail[]): PlacedProblem[] {
  return details.map((detail) => {
    const inGraph = (detail.path ?? '').replace(/^(body\.(graph|workflow\.graph)|draft)\.?/, '');
    const match = NODE_PATH.exec(inGraph);
    const nodeId = detail.nodeId ?? match?.[1];
    const field = nodeId && match?.[1] === nodeId && inGraph.includes('.data.') ? (match[2] ?? '') : '';
    return { message: inWords(detail.message), field, ...(nodeId ? { nodeId } : {}), ...(detail.edgeId ? { edgeId: detail.edgeId } : {}) };
  });
}

/** Problems of each node, by node id. */
export function problemsByNode(problems: readonly PlacedProblem[]): Map<string, PlacedProblem[]> {
  const byNode = new Map<string, PlacedProblem[]>();
  for (const problem of problems) {
    if (!problem.nodeId) continue;
    byNode.set(problem.nodeId, [...(byNode.get(problem.nodeId) ?? []), problem]);
  }
  return byNode;
}
