export interface LayoutBox {
  id: string;
  width: number;
  height: number;
}

export interface LayoutLink {
  source: string;
  target: string;
  /** Which of the source's outputs the link leaves (0 = the first drawn, top); 0 of 1 when the node has one. */
  port?: { index: number; count: number };
}

/** Default size of a node not yet measured by the browser: title, id and one row of handle labels. */
export const NODE_SIZE = { width: 200, height: 80 };

const GAP = { x: 80, y: 40 };
const MARGIN = 20;
/** Columns of a row before a longer chain wraps into the next row below, as text does. */
export const WRAP_COLUMNS = 16;

/**
 * Top-left positions for every node, left to right in the direction of the links: each node one column after its
 * furthest predecessor, level with its predecessors (offset by the output it hangs from, so a Condition's True
 * branch sits above its False one), pushed down only as far as its column needs. Columns past WRAP_COLUMNS wrap
 * into rows below. Links closing a loop are left out; linear in the size of the graph besides a sort per column.
 */
export function autoLayout(boxes: readonly LayoutBox[], links: readonly LayoutLink[]): Map<string, { x: number; y: number }> {
  const byId = new Map(boxes.map((box) => [box.id, box]));
  const forward = acyclicLinks(boxes, links.filter((link) => byId.has(link.source) && byId.has(link.target) && link.source !== link.target));
  const incoming = new Map<string, LayoutLink[]>(boxes.map((box) => [box.id, []]));
  for (const link of forward) incoming.get(link.target)!.push(link);
  const columns = columnsOf(boxes, forward, incoming);

  const order = new Map<string, number>();
  const centreY = new Map<string, number>();
  for (const column of columns) {
    const wanted = column.map((box, index) => {
      const from = incoming.get(box.id)!;
      if (from.length === 0) return { box, rank: index, y: Number.NEGATIVE_INFINITY };
      const offset = (link: LayoutLink) => (link.port ? link.port.index - (link.port.count - 1) / 2 : 0);
      const rank = average(from.map((link) => order.get(link.source)! + offset(link) / 2));
      const y = average(from.map((link) => centreY.get(link.source)! + offset(link) * (box.height + GAP.y)));
      return { box, rank, y };
    });
    wanted.sort((a, b) => a.rank - b.rank);
    let floor = Number.NEGATIVE_INFINITY;
    wanted.forEach(({ box, y }, index) => {
      const top = Math.max(Number.isFinite(y) ? y - box.height / 2 : floor === Number.NEGATIVE_INFINITY ? 0 : floor, floor);
      centreY.set(box.id, top + box.height / 2);
      order.set(box.id, index);
      floor = top + box.height + GAP.y;
    });
  }
  return place(columns, centreY);
}

/** Links without those closing a loop (found by a depth-first walk), so every node gets a column. */
function acyclicLinks(boxes: readonly LayoutBox[], links: readonly LayoutLink[]): LayoutLink[] {
  const outgoing = new Map<string, LayoutLink[]>(boxes.map((box) => [box.id, []]));
  for (const link of links) outgoing.get(link.source)!.push(link);
  const state = new Map<string, 'open' | 'done'>();
  const kept: LayoutLink[] = [];
  for (const root of boxes) {
    if (state.has(root.id)) continue;
    const stack = [{ id: root.id, next: 0 }];
    state.set(root.id, 'open');
    while (stack.length > 0) {
      const frame = stack[stack.length - 1];
      const out = outgoing.get(frame.id)!;
      if (frame.next === out.length) {
        state.set(frame.id, 'done');
        stack.pop();
        continue;
      }
      const link = out[frame.next++];
      const seen = state.get(link.target);
      if (seen === 'open') continue;
      kept.push(link);
      if (!seen) {
        state.set(link.target, 'open');
        stack.push({ id: link.target, next: 0 });
      }
    }
  }
  return kept;
}

/** Each node in the column after its furthest predecessor (longest path, in topological order). */
function columnsOf(boxes: readonly LayoutBox[], links: readonly LayoutLink[], incoming: Map<string, LayoutLink[]>): LayoutBox[][] {
  const outgoing = new Map<string, string[]>(boxes.map((box) => [box.id, []]));
  for (const link of links) outgoing.get(link.source)!.push(link.target);
  const waiting = new Map(boxes.map((box) => [box.id, incoming.get(box.id)!.length]));
  const column = new Map<string, number>();
  const ready = boxes.filter((box) => waiting.get(box.id) === 0).map((box) => box.id);
  for (let head = 0; head < ready.length; head++) {
    const id = ready[head];
    const at = column.get(id) ?? 0;
    column.set(id, at);
    for (const next of outgoing.get(id)!) {
      column.set(next, Math.max(column.get(next) ?? 0, at + 1));
      waiting.set(next, waiting.get(next)! - 1);
      if (waiting.get(next) === 0) ready.push(next);
    }
  }
  const columns: LayoutBox[][] = [];
  for (const box of boxes) (columns[column.get(box.id)!] ??= []).push(box);
  return columns;
}

/** Columns side by side, WRAP_COLUMNS to a row; each row starts below the lowest node of the row above. */
function place(columns: readonly LayoutBox[][], centreY: Map<string, number>): Map<string, { x: number; y: number }> {
  const positions = new Map<string, { x: number; y: number }>();
  let rowTop = MARGIN;
  for (let start = 0; start < columns.length; start += WRAP_COLUMNS) {
    const row = columns.slice(start, start + WRAP_COLUMNS);
    const tops = row.flat().map((box) => centreY.get(box.id)! - box.height / 2);
    const bottoms = row.flat().map((box) => centreY.get(box.id)! + box.height / 2);
    const shift = rowTop - Math.min(...tops);
    let x = MARGIN;
    for (const column of row) {
      for (const box of column) positions.set(box.id, { x: Math.round(x), y: Math.round(centreY.get(box.id)! - box.height / 2 + shift) });
      x += Math.max(...column.map((box) => box.width)) + GAP.x;
    }
    rowTop = Math.max(...bottoms) + shift + GAP.y * 3;
  }
  return positions;
}

function average(values: readonly number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}
