import type { CanvasEdge } from '../graph/canvas-types';
import type { NodeRunStatus, RunOverlay } from './run-overlay';

/** A node with one of these statuses was reached: the run went into it. */
const REACHED: ReadonlySet<NodeRunStatus> = new Set(['running', 'waiting', 'succeeded', 'failed', 'cancelled']);
/** A node that ended without handing anything on, or never ran: nothing left it. */
const PASSED_NOTHING_ON: ReadonlySet<NodeRunStatus> = new Set(['failed', 'skipped', 'not_run', 'cancelled']);

export type EdgeOnPath = 'taken' | 'not-taken';

/**
 * Whether the run went along `edge`: taken when its source succeeded on that output (the branch a Condition or an
 * Approval took, or its only output) and its target was reached; not taken when the source passed nothing on, took
 * another branch, or the target was skipped or never ran. Undefined while that is not known yet (a live run).
 */
export function edgeOnPath(edge: Pick<CanvasEdge, 'source' | 'target' | 'sourceHandle'>, overlay: RunOverlay): EdgeOnPath | undefined {
  const source = overlay[edge.source];
  const target = overlay[edge.target];
  if (!source) return undefined;
  if (PASSED_NOTHING_ON.has(source.status)) return 'not-taken';
  if (source.status !== 'succeeded') return undefined;
  if (source.branch && edge.sourceHandle && edge.sourceHandle !== source.branch) return 'not-taken';
  if (target && REACHED.has(target.status)) return 'taken';
  if (target && (target.status === 'skipped' || target.status === 'not_run')) return 'not-taken';
  return undefined;
}

/** "3 items", or undefined when the source is not a loop whose item count is known. */
function itemLabel(edge: Pick<CanvasEdge, 'source'>, overlay: RunOverlay): string | undefined {
  const items = overlay[edge.source]?.items;
  return items === undefined ? undefined : `${items} ${items === 1 ? 'item' : 'items'}`;
}

/**
 * The edges marked with the run's path (class `run-taken` or `run-not-taken`) and labelled with a loop's item count;
 * an edge whose marks do not change is kept as it is, so xyflow redraws only the ones that did.
 */
export function markRunPath(edges: readonly CanvasEdge[], overlay: RunOverlay): CanvasEdge[] {
  return edges.map((edge) => {
    const onPath = edgeOnPath(edge, overlay);
    const marks = { class: onPath ? `run-${onPath}` : undefined, label: itemLabel(edge, overlay) };
    if (edge.class === marks.class && edge.label === marks.label) return edge;
    const { class: _class, label: _label, ...plain } = edge;
    return { ...plain, ...(marks.class ? { class: marks.class } : {}), ...(marks.label ? { label: marks.label } : {}) };
  });
}
