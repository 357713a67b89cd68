import { connectionProblem, proposedBetween } from './connection-rules';
import { nodesOnCycles, reaches } from './cycles';
import { testCatalogue } from './test-catalogue';

const link = (source: string, target: string) => ({ source, target });

describe('cycles', () => {
  it('marks every node of every cycle and none outside them', () => {
    const links = [link('s', 'a'), link('a', 'b'), link('b', 'c'), link('c', 'a'), link('c', 'e'), link('x', 'y'), link('y', 'x'), link('z', 'z')];
    expect([...nodesOnCycles(links)].sort()).toEqual(['a', 'b', 'c', 'x', 'y', 'z']);
  });

  it('finds none in a diamond, and walks a 20,000-node chain without overflowing the stack', () => {
    expect(nodesOnCycles([link('s', 'a'), link('s', 'b'), link('a', 'e'), link('b', 'e')]).size).toBe(0);
    const chain = Array.from({ length: 20_000 }, (_, index) => link(`n${index}`, `n${index + 1}`));
    expect(nodesOnCycles(chain).size).toBe(0);
    expect(nodesOnCycles([...chain, link('n20000', 'n0')]).size).toBe(20_001);
  });

  it('tells whether one node leads to another', () => {
    expect(reaches([link('a', 'b'), link('b', 'c')], 'a', 'c')).toBe(true);
    expect(reaches([link('a', 'b'), link('b', 'c')], 'c', 'a')).toBe(false);
  });
});

describe('connection rules while drawing', () => {
  const types: Record<string, string> = { s: 'start', h: 'http-request', x: 'set', e: 'end' };
  const existing = [link('s', 'h'), link('h', 'x')];

  it('refuses a connection that would close a loop, naming both ends', () => {
    const problem = connectionProblem({ source: 'x', target: 'h' }, { typeOf: (id) => types[id], catalogue: testCatalogue, existing });
    expect(problem).toMatch(/h already leads to x.*loop/);
    expect(connectionProblem({ source: 'x', target: 'e' }, { typeOf: (id) => types[id], catalogue: testCatalogue, existing })).toBeNull();
  });

  it('reads a drag started on an input as the connection from the output it ends on', () => {
    expect(proposedBetween({ nodeId: 'e', id: 'in', type: 'target' }, { nodeId: 'x', id: 'out', type: 'source' })).toEqual({
      source: 'x',
      sourceHandle: 'out',
      target: 'e',
      targetHandle: 'in',
    });
  });
});
