import { deepStrictEqual } from 'node:assert/strict';
import type { GraphInput } from '../../engine/graph';

export interface SetChain {
  graph: GraphInput;
  /** The run inputs for one run; a distinct seed per run shows each result came from its own run. */
  inputs(seed: string): Record<string, unknown>;
  /** Throws (an AssertionError with a diff) unless `result` (a RunResult, or a REST run's `result`) is what a run with `seed` must return. */
  check(result: unknown, seed: string): void;
}

/**
 * Start → set1 → … → set<length> → End. Every Set reads the previous node's `trail` through a template and appends
 * its own id, so data really flows node to node and the result proves every node ran, in order.
 */
export function setChain(length: number): SetChain {
  return chainOf('set', length, (id, previous) => ({ type: 'set', config: { values: { trail: `{{ nodes.${previous}.output.trail }}>${id}` } } }));
}

/** The same chain of Transform nodes: each one's JSONata expression appends its id to the incoming `trail`. */
export function transformChain(length: number): SetChain {
  return chainOf('transform', length, (id) => ({ type: 'transform', config: { expression: `{ "trail": trail & ">${id}" }` } }));
}

function chainOf(type: string, length: number, link: (id: string, previous: string) => { type: string; config: Record<string, unknown> }): SetChain {
  const ids = Array.from({ length }, (_, i) => `${type}${i + 1}`);
  const previous = ['start', ...ids];
  const graph: GraphInput = {
    nodes: [
      { id: 'start', type: 'start', version: 1 },
      ...ids.map((id, i) => {
        const { type: linkType, config } = link(id, previous[i]);
        return { id, type: linkType, version: 1, data: { config } };
      }),
      { id: 'end', type: 'end', version: 1 },
    ],
    edges: [...ids, 'end'].map((id, i) => ({ id: `${previous[i]}-${id}`, source: previous[i], target: id })),
  };
  return {
    graph,
    inputs: (seed) => ({ trail: seed }),
    check(result, seed) {
      deepStrictEqual(result, { output: { trail: [seed, ...ids].join('>') }, endNodeIds: ['end'] });
    },
  };
}
