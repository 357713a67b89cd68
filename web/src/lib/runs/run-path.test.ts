import type { CanvasEdge } from '../graph/canvas-types';
import type { RunOverlay } from './run-overlay';
import { edgeOnPath, markRunPath } from './run-path';

const edge = (source: string, target: string, sourceHandle?: string): CanvasEdge => ({ id: `${source}-${sourceHandle ?? ''}-${target}`, source, target, sourceHandle });

describe('run path', () => {
  // start → check; check's true branch → yes (ran), false branch → no (skipped); yes fails, so yes → end is not taken.
  const overlay: RunOverlay = {
    start: { status: 'succeeded', attempts: 1 },
    check: { status: 'succeeded', attempts: 1, branch: 'true' },
    yes: { status: 'failed', attempts: 3 },
    no: { status: 'skipped', attempts: 0 },
    end: { status: 'not_run', attempts: 0 },
  };

  it('takes the edges into reached nodes on the branch taken and dims the rest', () => {
    expect(edgeOnPath(edge('start', 'check'), overlay)).toBe('taken');
    expect(edgeOnPath(edge('check', 'yes', 'true'), overlay)).toBe('taken');
    expect(edgeOnPath(edge('check', 'no', 'false'), overlay)).toBe('not-taken');
    expect(edgeOnPath(edge('yes', 'end'), overlay)).toBe('not-taken');
  });

  it('leaves edges undecided while a live run has not got there, and when there is no run', () => {
    const live: RunOverlay = { start: { status: 'succeeded', attempts: 1 }, check: { status: 'pending', attempts: 0 }, a: { status: 'running', attempts: 1 } };
    expect(edgeOnPath(edge('start', 'check'), live)).toBeUndefined();
    expect(edgeOnPath(edge('a', 'b'), live)).toBeUndefined();
    expect(edgeOnPath(edge('start', 'check'), {})).toBeUndefined();
  });

  it('marks edges with classes and a loop item count, keeping unchanged edges as they are', () => {
    const loop: RunOverlay = { ...overlay, loop: { status: 'succeeded', attempts: 1, items: 3 }, after: { status: 'succeeded', attempts: 1 } };
    const edges = [edge('start', 'check'), edge('check', 'no', 'false'), edge('loop', 'after'), edge('x', 'y')];
    const marked = markRunPath(edges, loop);
    expect(marked.map((each) => [each.class, each.label])).toEqual([
      ['run-taken', undefined],
      ['run-not-taken', undefined],
      ['run-taken', '3 items'],
      [undefined, undefined],
    ]);
    expect(marked[3]).toBe(edges[3]);
    expect(markRunPath(marked, loop)[0]).toBe(marked[0]);
    const cleared = markRunPath(marked, {});
    expect(cleared.map((each) => [each.class, each.label])).toEqual(edges.map(() => [undefined, undefined]));
    expect(cleared[0]).toEqual(edges[0]);
  });
});
