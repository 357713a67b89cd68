import type { CanvasNode, Catalogue } from './canvas-types';
import type { ProposedConnection } from './connection-rules';

/** One handle a keyboard connection may start or end at, with the words a screen reader says for it. */
export interface HandleChoice {
  nodeId: string;
  handleId: string;
  name: string;
}

/**
 * A connection drawn with the keyboard: first the output to start from (asked only when the node has several), then
 * the input to end at, chosen among every other node's inputs in reading order (left to right, then top to bottom).
 */
export type KeyboardConnection =
  | { step: 'source'; choices: HandleChoice[]; index: number }
  | { step: 'target'; from: HandleChoice; choices: HandleChoice[]; index: number };

/** A connection between two named handles (what xyflow's `Connection` needs). */
export type HandleToHandle = ProposedConnection & { sourceHandle: string; targetHandle: string };

/** What choosing the current handle leads to: the next step, a connection to draw, or a refusal in words. */
export type ChoiceOutcome = { next: KeyboardConnection } | { connect: HandleToHandle; said: string } | { refused: string };

export type ConnectKey = 'next' | 'previous' | 'confirm' | 'cancel';

interface CanvasView {
  nodes: readonly Pick<CanvasNode, 'id' | 'position' | 'data'>[];
  catalogue: Catalogue;
}

/** Starts connecting from a node's output; a string says why it cannot. */
export function startConnecting(nodeId: string, canvas: CanvasView): KeyboardConnection | string {
  const node = canvas.nodes.find((candidate) => candidate.id === nodeId);
  if (!node) return `there is no node ${nodeId}`;
  const outputs = canvas.catalogue.get(node.data.nodeType)?.handles.outputs ?? [];
  if (outputs.length === 0) return `${nodeName(node, canvas)} has no output to connect from`;
  const choices = outputs.map((handle) => ({ nodeId, handleId: handle.id, name: `output “${handle.label}” of ${nodeName(node, canvas)}` }));
  return choices.length === 1 ? targetStep(choices[0], canvas) : { step: 'source', choices, index: 0 };
}

/** Moves to the next or previous choice, wrapping around. */
export function moveChoice(connection: KeyboardConnection, by: 1 | -1): KeyboardConnection {
  const count = connection.choices.length;
  return { ...connection, index: (connection.index + by + count) % count };
}

/** Enter on the current choice. `problemOf` is the canvas's connection rules, the same a mouse drag is checked by. */
export function chooseCurrent(connection: KeyboardConnection, canvas: CanvasView, problemOf: (proposed: ProposedConnection) => string | null): ChoiceOutcome {
  const chosen = connection.choices[connection.index];
  if (connection.step === 'source') {
    const next = targetStep(chosen, canvas);
    return typeof next === 'string' ? { refused: next } : { next };
  }
  const proposed = { source: connection.from.nodeId, sourceHandle: connection.from.handleId, target: chosen.nodeId, targetHandle: chosen.handleId };
  const problem = problemOf(proposed);
  return problem === null ? { connect: proposed, said: `Connected ${connection.from.name} to ${chosen.name}.` } : { refused: problem };
}

/** What the live region says at each step. */
export function describeConnection(connection: KeyboardConnection): string {
  const chosen = connection.choices[connection.index];
  const position = `${connection.index + 1} of ${connection.choices.length}`;
  const keys = 'Arrow keys or Tab choose, Enter confirms, Escape cancels.';
  if (connection.step === 'source') return `Connect from ${chosen.name} (${position})? ${keys}`;
  return `Connect ${connection.from.name} to ${chosen.name} (${position})? ${keys}`;
}

export function connectKeyOf(event: Pick<KeyboardEvent, 'key' | 'shiftKey'>): ConnectKey | null {
  if (event.key === 'Enter') return 'confirm';
  if (event.key === 'Escape') return 'cancel';
  if (event.key === 'ArrowRight' || event.key === 'ArrowDown' || (event.key === 'Tab' && !event.shiftKey)) return 'next';
  if (event.key === 'ArrowLeft' || event.key === 'ArrowUp' || event.key === 'Tab') return 'previous';
  return null;
}

function targetStep(from: HandleChoice, canvas: CanvasView): KeyboardConnection | string {
  const others = canvas.nodes.filter((node) => node.id !== from.nodeId).toSorted((a, b) => a.position.x - b.position.x || a.position.y - b.position.y);
  const choices = others.flatMap((node) =>
    (canvas.catalogue.get(node.data.nodeType)?.handles.inputs ?? []).map((handle) => ({ nodeId: node.id, handleId: handle.id, name: `input “${handle.label}” of ${nodeName(node, canvas)}` })),
  );
  if (choices.length === 0) return 'no other node has an input to connect to';
  return { step: 'target', from, choices, index: 0 };
}

/** The node's label (or its type's) and its id, which tells apart two nodes of one type. */
function nodeName(node: CanvasView['nodes'][number], canvas: CanvasView): string {
  const label = node.data.label || canvas.catalogue.get(node.data.nodeType)?.label || node.data.nodeType;
  return `${label} (${node.id})`;
}
