import type { RunNodeDto } from '$contract/runs';
import type { TemplateScope } from '$contract/templates';
import type { Catalogue, GraphEdge, PinnedOutput } from '../graph/canvas-types';
import { upstreamOf } from './template-suggestions';

/**
 * What a node's templates would read, as far as the canvas knows it: the outputs of upstream nodes from their pins
 * or the last run followed in the editor. `input` is known when the upstream trigger's output (the run's input) is.
 */
export interface TemplateData {
  scope: TemplateScope;
  inputKnown: boolean;
}

/** Node outputs the canvas knows, by node id: a pin, which test runs take, before the node's output in the last run. */
export function knownOutputs(nodes: readonly { id: string; pinned?: PinnedOutput }[], lastRun: readonly Pick<RunNodeDto, 'id' | 'status' | 'output' | 'unresolved'>[] | null): Map<string, unknown> {
  const known = new Map<string, unknown>();
  for (const node of lastRun ?? []) {
    // An output stored outside the run is only a reference until the API reads it: nothing to preview with.
    if (node.status === 'succeeded' && node.output !== undefined && !node.unresolved) known.set(node.id, node.output);
  }
  for (const node of nodes) if (node.pinned) known.set(node.id, node.pinned.output);
  return known;
}

interface DataSource {
  nodeId: string;
  nodes: readonly { id: string; type: string }[];
  edges: readonly Pick<GraphEdge, 'source' | 'target' | 'targetHandle'>[];
  catalogue: Catalogue;
  known: ReadonlyMap<string, unknown>;
}

/**
 * The template scope of `nodeId` built from known outputs, as the interpreter builds it in a run: `input` is the
 * run's input (a trigger's output), `incoming` each input handle's value (a list when several edges bring one).
 */
export function templateData({ nodeId, nodes, edges, catalogue, known }: DataSource): TemplateData {
  const upstream = new Set(upstreamOf(nodeId, edges));
  const scopeNodes: TemplateScope['nodes'] = {};
  for (const id of upstream) if (known.has(id)) scopeNodes[id] = { output: known.get(id) };
  const trigger = nodes.find((node) => upstream.has(node.id) && known.has(node.id) && catalogue.get(node.type)?.category === 'trigger');
  const byHandle: Record<string, unknown[]> = {};
  for (const edge of edges) {
    if (edge.target === nodeId && known.has(edge.source)) (byHandle[edge.targetHandle ?? 'in'] ??= []).push(known.get(edge.source));
  }
  const incoming = Object.fromEntries(Object.entries(byHandle).map(([handle, values]) => [handle, values.length === 1 ? values[0] : values]));
  return { scope: { input: trigger ? known.get(trigger.id) : undefined, nodes: scopeNodes, incoming }, inputKnown: trigger !== undefined };
}
