import { Graph, layout } from '@dagrejs/dagre';

export interface LayoutBox {
  id: string;
  width: number;
  height: number;
}

export interface LayoutLink {
  source: string;
  target: string;
}

/** Default size of a node not yet measured by the browser. */
export const NODE_SIZE = { width: 200, height: 64 };

/**
 * Top-left positions for every node, left to right in the direction of the edges (dagre's layered layout). Only
 * positions are computed; callers decide what to move.
 */
export function autoLayout(boxes: readonly LayoutBox[], links: readonly LayoutLink[]): Map<string, { x: number; y: number }> {
  const graph = new Graph({ multigraph: true });
  graph.setGraph({ rankdir: 'LR', nodesep: 40, ranksep: 80, marginx: 20, marginy: 20 });
  graph.setDefaultEdgeLabel(() => ({}));
  for (const box of boxes) graph.setNode(box.id, { width: box.width, height: box.height });
  links.forEach((link, index) => {
    if (graph.hasNode(link.source) && graph.hasNode(link.target)) graph.setEdge(link.source, link.target, {}, String(index));
  });
  layout(graph);
  const positions = new Map<string, { x: number; y: number }>();
  for (const box of boxes) {
    const { x, y } = graph.node(box.id);
    // dagre places centres; xyflow positions are top-left corners.
    positions.set(box.id, { x: Math.round(x - box.width / 2), y: Math.round(y - box.height / 2) });
  }
  return positions;
}
