import { overlaps, placeAfter, placeNear, type Box } from './placement';

const size = { width: 200, height: 64 };
const box = (x: number, y: number): Box => ({ x, y, ...size });

describe('placing a new node', () => {
  it('puts it right of the node it follows, level with it, when that space is free', () => {
    const anchor = box(0, 0);
    expect(placeAfter(anchor, size, [anchor])).toEqual({ x: 280, y: 0 });
  });

  it("puts a Condition's True branch above its False branch", () => {
    const anchor = box(0, 0);
    const whenTrue = placeAfter(anchor, size, [anchor], { index: 0, count: 2 });
    const whenFalse = placeAfter(anchor, size, [anchor], { index: 1, count: 2 });
    expect(whenTrue.y).toBeLessThan(whenFalse.y);
    expect(overlaps({ ...whenTrue, ...size }, { ...whenFalse, ...size })).toBe(false);
  });

  it('moves past the nodes already after it, nearest free spot first', () => {
    const anchor = box(0, 0);
    const taken = [anchor, box(280, 0), box(280, 104)];
    const placed = placeAfter(anchor, size, taken);
    expect(placed).toEqual({ x: 280, y: -104 });
    expect(taken.some((other) => overlaps({ ...placed, ...size }, other))).toBe(false);
  });

  it('centres it on the point when free, and beside the nodes there otherwise', () => {
    expect(placeNear({ x: 500, y: 300 }, size, [])).toEqual({ x: 400, y: 268 });
    const crowd = [box(400, 268), box(380, 250)];
    const placed = placeNear({ x: 500, y: 300 }, size, crowd);
    expect(crowd.some((other) => overlaps({ ...placed, ...size }, other))).toBe(false);
    expect(Math.hypot(placed.x - 400, placed.y - 268)).toBeLessThan(300);
  });
});
