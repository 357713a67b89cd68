export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

type Size = Pick<Box, 'width' | 'height'>;
type Point = Pick<Box, 'x' | 'y'>;

/** Space kept between a new node and its neighbours, as auto-layout keeps it. */
const GAP = { x: 80, y: 40 };
/** How far the search for free space goes before it settles for overlapping (a canvas packed that tight is rare). */
const MAX_STEPS = 40;

/**
 * Top-left of a new node after `anchor`: to its right, level with the output it hangs from (`slot` of the anchor's
 * outputs, so a Condition's True branch goes up and False down), moved down or up, nearest first, past any node it
 * would overlap.
 */
export function placeAfter(anchor: Box, size: Size, occupied: readonly Box[], slot = { index: 0, count: 1 }): Point {
  const x = anchor.x + anchor.width + GAP.x;
  const y = anchor.y + (anchor.height - size.height) / 2 + (slot.index - (slot.count - 1) / 2) * (size.height + GAP.y);
  const step = size.height + GAP.y;
  const offsets = [0, ...Array.from({ length: MAX_STEPS }, (_, index) => (index % 2 === 0 ? 1 : -1) * Math.ceil((index + 1) / 2))];
  return firstFree(offsets.map((offset) => ({ x, y: y + offset * step })), size, occupied);
}

/** Top-left of a new node centred on `centre`, or of the nearest free spot around it on a grid of node-sized steps. */
export function placeNear(centre: Point, size: Size, occupied: readonly Box[]): Point {
  const origin = { x: centre.x - size.width / 2, y: centre.y - size.height / 2 };
  const step = { x: size.width + GAP.x, y: size.height + GAP.y };
  const candidates: (Point & { distance: number })[] = [];
  for (let i = -MAX_STEPS / 4; i <= MAX_STEPS / 4; i++) {
    for (let j = -MAX_STEPS / 4; j <= MAX_STEPS / 4; j++) {
      const x = origin.x + i * step.x;
      const y = origin.y + j * step.y;
      candidates.push({ x, y, distance: Math.hypot(x - origin.x, y - origin.y) });
    }
  }
  return firstFree(candidates.sort((a, b) => a.distance - b.distance), size, occupied);
}

function firstFree(candidates: readonly Point[], size: Size, occupied: readonly Box[]): Point {
  const free = candidates.find((point) => !occupied.some((box) => overlaps({ ...point, ...size }, box)));
  const { x, y } = free ?? candidates[0];
  return { x: Math.round(x), y: Math.round(y) };
}

/** Whether two boxes come closer than half the gap kept between nodes. */
export function overlaps(a: Box, b: Box): boolean {
  const margin = GAP.y / 2;
  return a.x < b.x + b.width + margin && b.x < a.x + a.width + margin && a.y < b.y + b.height + margin && b.y < a.y + a.height + margin;
}
