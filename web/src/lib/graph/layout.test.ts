import { autoLayout, NODE_SIZE, WRAP_COLUMNS, type LayoutLink } from './layout';
import { overlaps } from './placement';

const boxesOf = (ids: readonly string[]) => ids.map((id) => ({ id, ...NODE_SIZE }));
const noneOverlap = (positions: Map<string, { x: number; y: number }>) => {
  const placed = [...positions.values()].map((at) => ({ ...at, ...NODE_SIZE }));
  return placed.every((one, index) => placed.slice(index + 1).every((other) => !overlaps(one, other)));
};

describe('auto-layout', () => {
  it("puts a Condition's True branch above its False branch, whichever edge was drawn first", () => {
    const port = (index: number) => ({ index, count: 2 });
    const links: LayoutLink[] = [
      { source: 's', target: 'c' },
      { source: 'c', target: 'no', port: port(1) },
      { source: 'c', target: 'yes', port: port(0) },
      { source: 'no', target: 'end' },
      { source: 'yes', target: 'end' },
    ];
    const at = autoLayout(boxesOf(['s', 'c', 'no', 'yes', 'end']), links);
    expect(at.get('yes')!.y).toBeLessThan(at.get('no')!.y);
    expect(at.get('yes')!.x).toBe(at.get('no')!.x);
    expect(at.get('c')!.x).toBeLessThan(at.get('yes')!.x);
    expect(at.get('yes')!.x).toBeLessThan(at.get('end')!.x);
    expect(noneOverlap(at)).toBe(true);
  });

  it("keeps an Approval's three outputs in their order, top to bottom", () => {
    const port = (index: number) => ({ index, count: 3 });
    const links: LayoutLink[] = [
      { source: 'ask', target: 'timedOut', port: port(2) },
      { source: 'ask', target: 'approved', port: port(0) },
      { source: 'ask', target: 'rejected', port: port(1) },
    ];
    const at = autoLayout(boxesOf(['ask', 'timedOut', 'rejected', 'approved']), links);
    expect(['approved', 'rejected', 'timedOut'].map((id) => at.get(id)!.y)).toEqual([...['approved', 'rejected', 'timedOut'].map((id) => at.get(id)!.y)].sort((a, b) => a - b));
    expect(noneOverlap(at)).toBe(true);
  });

  it('wraps a 300-node chain into rows instead of one 75,000 px row', () => {
    const ids = Array.from({ length: 300 }, (_, index) => `n${index}`);
    const links = ids.slice(1).map((id, index) => ({ source: ids[index], target: id }));
    const at = autoLayout(boxesOf(ids), links);
    const xs = [...at.values()].map((point) => point.x);
    const ys = [...at.values()].map((point) => point.y);
    expect(Math.max(...xs) - Math.min(...xs)).toBeLessThan(WRAP_COLUMNS * (NODE_SIZE.width + 80));
    expect(new Set(ys).size).toBe(Math.ceil(300 / WRAP_COLUMNS));
    expect(at.get(ids[WRAP_COLUMNS])!.y).toBeGreaterThan(at.get(ids[WRAP_COLUMNS - 1])!.y);
    expect(noneOverlap(at)).toBe(true);
  });

  it('lays out a graph with a loop, leaving out the link that closes it', () => {
    const at = autoLayout(boxesOf(['a', 'b', 'c']), [
      { source: 'a', target: 'b' },
      { source: 'b', target: 'c' },
      { source: 'c', target: 'a' },
      { source: 'c', target: 'c' },
    ]);
    expect(at.get('a')!.x).toBeLessThan(at.get('b')!.x);
    expect(at.get('b')!.x).toBeLessThan(at.get('c')!.x);
  });
});
