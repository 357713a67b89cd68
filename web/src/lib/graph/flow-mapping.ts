import type { CanvasEdge, CanvasNode, Graph, GraphEdge, GraphNode } from './canvas-types';

/** A saved graph as xyflow nodes and edges; every field of the saved form survives the round trip. */
export function toFlow(graph: Graph): { nodes: CanvasNode[]; edges: CanvasEdge[] } {
  return { nodes: graph.nodes.map(toCanvasNode), edges: graph.edges.map(toCanvasEdge) };
}

export function toCanvasNode(node: GraphNode): CanvasNode {
  const data = {
    nodeType: node.type,
    version: node.version,
    settings: node.data,
    ...(node.label === undefined ? {} : { label: node.label }),
    ...(node.pinned === undefined ? {} : { pinned: node.pinned }),
  };
  return { id: node.id, type: 'kai', position: { ...node.position }, data };
}

export function toCanvasEdge(edge: GraphEdge): CanvasEdge {
  return {
    id: edge.id,
    source: edge.source,
    target: edge.target,
    ...(edge.sourceHandle ? { sourceHandle: edge.sourceHandle } : {}),
    ...(edge.targetHandle ? { targetHandle: edge.targetHandle } : {}),
  };
}

/** The canvas as the graph the API saves. Positions are rounded: sub-pixel drags are not edits worth saving. */
export function toGraph(nodes: readonly CanvasNode[], edges: readonly CanvasEdge[]): Graph {
  return {
    nodes: nodes.map((node) => ({
      id: node.id,
      type: node.data.nodeType,
      version: node.data.version,
      ...(node.data.label === undefined ? {} : { label: node.data.label }),
      data: node.data.settings,
      position: { x: Math.round(node.position.x), y: Math.round(node.position.y) },
      ...(node.data.pinned === undefined ? {} : { pinned: node.data.pinned }),
    })),
    edges: edges.map((edge) => ({
      id: edge.id,
      source: edge.source,
      target: edge.target,
      ...(edge.sourceHandle ? { sourceHandle: edge.sourceHandle } : {}),
      ...(edge.targetHandle ? { targetHandle: edge.targetHandle } : {}),
    })),
  };
}

/** A stable id for the edge joining two handles, so the same connection is never drawn twice. */
export function edgeIdOf(connection: { source: string; sourceHandle?: string | null; target: string; targetHandle?: string | null }): string {
  return `e_${connection.source}_${connection.sourceHandle ?? 'out'}__${connection.target}_${connection.targetHandle ?? 'in'}`.slice(0, 128);
}
