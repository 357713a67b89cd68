import type { CanvasEdge, CanvasNode, Catalogue } from './canvas-types';
import type { Clip } from './clipboard';

/** Marks clipboard text as nodes copied from a KAI-Fusion canvas, so pasting other text is refused. */
export const CLIP_FORMAT = 'kai-fusion/nodes@1';

/** Copied nodes as the text put on the system clipboard: JSON another tab or workflow can paste. */
export function clipToText(clip: Clip): string {
  return JSON.stringify({ format: CLIP_FORMAT, nodes: clip.nodes, edges: clip.edges });
}

/**
 * Clipboard text back into a clip, or the reason it is not one. The text may come from anywhere, so every node is
 * checked to be of a type this catalogue knows, with a finite position and settings, and every edge to join two
 * nodes of the clip; nothing else is kept.
 */
export function clipFromText(text: string, catalogue: Catalogue): Clip | { refused: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { refused: 'the clipboard holds no copied nodes' };
  }
  if (!isRecord(parsed) || parsed.format !== CLIP_FORMAT || !Array.isArray(parsed.nodes) || !Array.isArray(parsed.edges)) {
    return { refused: 'the clipboard holds no copied nodes' };
  }
  const nodes: CanvasNode[] = [];
  for (const node of parsed.nodes) {
    const checked = nodeOf(node, catalogue);
    if (typeof checked === 'string') return { refused: checked };
    nodes.push(checked);
  }
  const ids = new Set(nodes.map((node) => node.id));
  const edges: CanvasEdge[] = [];
  for (const edge of parsed.edges) {
    if (!isRecord(edge) || typeof edge.source !== 'string' || typeof edge.target !== 'string' || !ids.has(edge.source) || !ids.has(edge.target)) {
      return { refused: 'a copied edge does not join two copied nodes' };
    }
    edges.push({ id: String(edge.id), source: edge.source, target: edge.target, sourceHandle: handleOf(edge.sourceHandle), targetHandle: handleOf(edge.targetHandle) });
  }
  return { nodes, edges };
}

function nodeOf(node: unknown, catalogue: Catalogue): CanvasNode | string {
  if (!isRecord(node) || typeof node.id !== 'string' || !isRecord(node.position) || !isRecord(node.data)) return 'a copied node is not a canvas node';
  const { x, y } = node.position;
  const { nodeType, version, settings, label, pinned } = node.data;
  if (typeof x !== 'number' || typeof y !== 'number' || !Number.isFinite(x) || !Number.isFinite(y)) return `copied node "${node.id}" has no position`;
  if (typeof nodeType !== 'string' || !catalogue.has(nodeType)) return `copied node "${node.id}" is of a type this canvas does not know`;
  if (typeof version !== 'number' || !isRecord(settings)) return `copied node "${node.id}" has no version or settings`;
  const data = { nodeType, version, settings, ...(typeof label === 'string' ? { label } : {}), ...(isRecord(pinned) ? { pinned } : {}) };
  return { id: node.id, type: 'kai', position: { x, y }, data: data as CanvasNode['data'] };
}

function handleOf(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
