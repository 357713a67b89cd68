import type { GraphInput, NodeData } from '../engine/graph';

type GraphNodeInput = GraphInput['nodes'][number];
type GraphEdgeInput = NonNullable<GraphInput['edges']>[number];

/** A version-1 node of `type` with `config` and, optionally, its reliability settings. */
export function graphNode(id: string, type: string, config: Record<string, unknown> = {}, settings: Omit<Partial<NodeData>, 'config'> = {}): GraphNodeInput {
  return { id, type, version: 1, data: { config, ...settings } };
}

export function graphEdge(source: string, target: string, sourceHandle?: string, targetHandle?: string): GraphEdgeInput {
  return { id: `${source}-${sourceHandle ?? 'out'}-${target}`, source, target, sourceHandle, targetHandle };
}
