import type { NodeTypeDto } from '$contract/nodes';
import type { Catalogue } from './canvas-types';
import { reaches } from './cycles';

export interface ProposedConnection {
  source: string;
  sourceHandle?: string | null;
  target: string;
  targetHandle?: string | null;
}

interface Endpoints {
  /** The node type of each node id on the canvas. */
  typeOf(nodeId: string): string | undefined;
  catalogue: Catalogue;
  existing: readonly ProposedConnection[];
}

type InputHandle = NodeTypeDto['handles']['inputs'][number];

/**
 * Why a connection is refused, or null when it may be drawn. Handles are read from the catalogue generically: an
 * input handle with `accepts: "<capability>"` (an Agent's `tools` accepts `tool`, an LLM's `memory` accepts
 * `memory`) only takes nodes whose type sets that capability (`tool` on the HTTP Request type, say), at most
 * `maxConnections` of them; other inputs take any output but a memory node's, which only configures an LLM.
 */
export function connectionProblem(connection: ProposedConnection, { typeOf, catalogue, existing }: Endpoints): string | null {
  if (connection.source === connection.target) return 'a node cannot connect to itself';
  const sourceType = catalogue.get(typeOf(connection.source) ?? '');
  const targetType = catalogue.get(typeOf(connection.target) ?? '');
  if (!sourceType || !targetType) return 'unknown node type';
  const output = handleOf(sourceType.handles.outputs, connection.sourceHandle);
  if (!output) return `${sourceType.label} has no output "${connection.sourceHandle ?? ''}"`;
  const input: InputHandle | undefined = handleOf(targetType.handles.inputs, connection.targetHandle);
  if (!input) return `${targetType.label} has no input "${connection.targetHandle ?? ''}"`;
  if (input.accepts && !hasCapability(sourceType, input.accepts)) return `only ${input.accepts} nodes connect to ${targetType.label}'s ${input.label}`;
  if (input.accepts !== 'memory' && sourceType.memory) return `${sourceType.label} connects only to an LLM Chat's or Agent's Memory`;
  const into = existing.filter((other) => other.target === connection.target && (other.targetHandle ?? plainHandle(targetType.handles.inputs)?.id) === input.id);
  if (input.maxConnections !== undefined && into.length >= input.maxConnections) return `${targetType.label}'s ${input.label} takes ${input.maxConnections} connection`;
  const same = (other: ProposedConnection) =>
    other.source === connection.source &&
    other.target === connection.target &&
    (other.sourceHandle ?? output.id) === output.id &&
    (other.targetHandle ?? input.id) === input.id;
  if (existing.some(same)) return 'these handles are already connected';
  if (reaches(existing, connection.target, connection.source)) return `${connection.target} already leads to ${connection.source}: this connection would close a loop`;
  return null;
}

/** The connection a drag from `from` onto `to` proposes; a drag may start at an input and end on an output. */
export function proposedBetween(from: HandleEnd, to: HandleEnd): ProposedConnection {
  const [source, target] = from.type === 'source' ? [from, to] : [to, from];
  return { source: source.nodeId, sourceHandle: source.id, target: target.nodeId, targetHandle: target.id };
}

interface HandleEnd {
  nodeId: string;
  id?: string | null;
  type: 'source' | 'target';
}

/**
 * A missing handle id means the node's only plain handle (xyflow leaves it out when a node has one; saved graphs
 * from before an LLM had a Memory input name none either): attachment inputs (tools, memory) are never implied.
 */
function handleOf<H extends { id: string; accepts?: string }>(handles: readonly H[], id: string | null | undefined): H | undefined {
  return id ? handles.find((handle) => handle.id === id) : plainHandle(handles);
}

function plainHandle<H extends { accepts?: string }>(handles: readonly H[]): H | undefined {
  const plain = handles.filter((handle) => !handle.accepts);
  return plain.length === 1 ? plain[0] : undefined;
}

function hasCapability(type: NodeTypeDto, capability: string): boolean {
  const value = (type as unknown as Record<string, unknown>)[capability];
  return value !== undefined && value !== null && value !== false;
}
