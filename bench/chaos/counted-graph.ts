import { deepStrictEqual } from 'node:assert/strict';
import type { GraphInput } from '../../engine/graph';
import type { RunResult } from '../../engine/run-state';

type GraphNode = GraphInput['nodes'][number];

/**
 * An HTTP Request node that calls the execution counter naming its run and itself. A 3 s heartbeat timeout has an
 * attempt lost with its worker retried within seconds (not after the 30 s request timeout), and the generous retry
 * policy rides out a Temporal restart.
 */
export function countedNode(id: string, counterUrl: string, runKeyTemplate: string): GraphNode {
  return {
    id,
    type: 'http-request',
    version: 1,
    data: {
      config: { url: counterUrl, query: { run: runKeyTemplate, node: id } },
      retry: { maximumAttempts: 20, initialInterval: '500ms', backoffCoefficient: 1.5, maximumInterval: '5s' },
      timeouts: { heartbeat: '3s' },
    },
  };
}

export interface CountedChain {
  graph: GraphInput;
  /** The counted nodes, in order. */
  nodeIds: string[];
  inputs(runKey: string): Record<string, unknown>;
  /** Throws unless `result` holds every node's answer for this run, which shows each one ran for it. */
  check(result: RunResult, runKey: string): void;
}

/** Start → n1 → … → n<length> → End; the End collects every node's answer. */
export function countedChain(counterUrl: string, length: number): CountedChain {
  const nodeIds = Array.from({ length }, (_, i) => `n${i + 1}`);
  const ids = ['start', ...nodeIds, 'end'];
  const end = { value: Object.fromEntries(nodeIds.map((id) => [id, `{{ nodes.${id}.output.body }}`])) };
  return {
    graph: {
      nodes: [
        { id: 'start', type: 'start', version: 1 },
        ...nodeIds.map((id) => countedNode(id, counterUrl, '{{ input.run }}')),
        { id: 'end', type: 'end', version: 1, data: { config: end } },
      ],
      edges: ids.slice(1).map((target, i) => ({ id: `${ids[i]}-${target}`, source: ids[i], target })),
    },
    nodeIds,
    inputs: (runKey) => ({ run: runKey }),
    check(result, runKey) {
      deepStrictEqual(result.output, Object.fromEntries(nodeIds.map((node) => [node, { run: runKey, node }])));
    },
  };
}
