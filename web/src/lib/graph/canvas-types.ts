import type { Edge, Node } from '@xyflow/svelte';
import type { NodeTypeDto } from '$contract/nodes';
import type { WorkflowDto } from '$contract/workflows';

/** The saved graph, as the contract types it. */
export type Graph = WorkflowDto['graph'];
export type GraphNode = Graph['nodes'][number];
export type GraphEdge = Graph['edges'][number];
export type NodeSettings = GraphNode['data'];
export type PinnedOutput = NonNullable<GraphNode['pinned']>;

/** What a canvas node carries: the saved node minus its id and position, which xyflow keeps itself. */
export interface CanvasNodeData extends Record<string, unknown> {
  nodeType: string;
  version: number;
  label?: string;
  settings: NodeSettings;
  /** Sample output test runs take instead of running the node; never part of a published version. */
  pinned?: PinnedOutput;
}

export type CanvasNode = Node<CanvasNodeData, 'kai'>;
export type CanvasEdge = Edge;

/** Node types by type name, as the catalogue lists them. */
export type Catalogue = ReadonlyMap<string, NodeTypeDto>;

export function catalogueOf(types: readonly NodeTypeDto[]): Catalogue {
  return new Map(types.map((type) => [type.type, type]));
}
