import type { NodeDefinition } from '../activities/node-definition';
import type { GraphProblem } from './graph-problem';
import type { PlannedEdge } from './plan';

export interface MemoryAttachments {
  /** The edges into Memory handles: attachments, not steps of the flow. */
  edges: PlannedEdge[];
  /** Memory node id → the LLM node it belongs to, whose scope its templates are resolved in. */
  owners: Map<string, string>;
  /** LLM node id → its memory node's id. */
  memoryOf: Map<string, string>;
}

/**
 * Edges into a handle that accepts memory attach their source to the target (an LLM Chat or Agent). Only memory
 * nodes qualify, a memory node connects nowhere else and belongs to one LLM node, and a Memory handle takes at most
 * its `maxConnections` (one): which conversation would the node keep otherwise?
 */
export function findMemories(edges: PlannedEdge[], definitions: Map<string, NodeDefinition>, problems: GraphProblem[]): MemoryAttachments {
  const found: MemoryAttachments = { edges: [], owners: new Map(), memoryOf: new Map() };
  for (const edge of edges) {
    const source = definitions.get(edge.source) as NodeDefinition;
    const target = definitions.get(edge.target) as NodeDefinition;
    const handle = target.inputs.find((input) => input.id === edge.targetHandle);
    const intoMemory = handle?.accepts === 'memory';
    const problem = (message: string) => problems.push({ path: `edges.${edge.id}.source`, edgeId: edge.id, nodeId: edge.source, message });
    if (!intoMemory) {
      if (source.kind === 'memory') problem(`node "${edge.source}" (${source.label}) is a memory node: connect it to an LLM Chat's or Agent's Memory input`);
      continue;
    }
    found.edges.push(edge);
    if (source.kind !== 'memory') {
      problem(`only memory nodes connect to the Memory input of "${edge.target}"; node "${edge.source}" (${source.label}) is not one`);
      continue;
    }
    const sharing = edges.filter((other) => other.target === edge.target && other.targetHandle === edge.targetHandle);
    if (handle.maxConnections !== undefined && sharing.length > handle.maxConnections) {
      problem(`the ${handle.label} input of "${edge.target}" takes ${handle.maxConnections} connection, it has ${sharing.length}`);
      continue;
    }
    const connections = edges.filter((other) => other.source === edge.source).length;
    if (connections > 1) {
      problem(`node "${edge.source}" is the memory of "${edge.target}", so it cannot have other connections (it has ${connections - 1} more)`);
      continue;
    }
    found.owners.set(edge.source, edge.target);
    found.memoryOf.set(edge.target, edge.source);
  }
  return found;
}
