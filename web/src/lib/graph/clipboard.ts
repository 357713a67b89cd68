import type { CanvasEdge, CanvasNode } from './canvas-types';
import { edgeIdOf } from './flow-mapping';
import { newNodeId } from './node-ids';

/** What copy takes: the chosen nodes and the edges between them (edges to nodes left behind are not copied). */
export interface Clip {
  nodes: CanvasNode[];
  edges: CanvasEdge[];
}

export function copySelection(nodes: readonly CanvasNode[], edges: readonly CanvasEdge[]): Clip {
  const chosen = nodes.filter((node) => node.selected);
  const ids = new Set(chosen.map((node) => node.id));
  return {
    nodes: structuredClone(chosen.map(({ id, type, position, data }) => ({ id, type, position, data }))),
    edges: edges.filter((edge) => ids.has(edge.source) && ids.has(edge.target)).map(({ id, source, target, sourceHandle, targetHandle }) => ({ id, source, target, sourceHandle, targetHandle })),
  };
}

/**
 * The clip as new nodes and edges: fresh ids that do not clash with `taken`, moved by `offset`, selected (so the
 * pasted copy can be dragged at once). Templates inside the copied configs still name the original ids.
 */
export function pasteClip(clip: Clip, taken: ReadonlySet<string>, offset = { x: 40, y: 40 }): Clip {
  const used = new Set(taken);
  const renamed = new Map<string, string>();
  const nodes = clip.nodes.map((node) => {
    const id = newNodeId(node.data.nodeType, used);
    used.add(id);
    renamed.set(node.id, id);
    return { ...structuredClone(node), id, selected: true, position: { x: node.position.x + offset.x, y: node.position.y + offset.y } };
  });
  const edges = clip.edges.map((edge) => {
    const moved = { ...edge, source: renamed.get(edge.source) ?? edge.source, target: renamed.get(edge.target) ?? edge.target };
    return { ...moved, id: edgeIdOf(moved) };
  });
  return { nodes, edges };
}
