import { deepStrictEqual } from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { GraphInput } from '../../engine/graph';
import { graphEdge, graphNode } from '../../test/graph-builders';
import type { RestSession } from './rest-session';

/** A graph whose run result follows from its seed, so a burst can check every run it started. */
export interface SeededGraph {
  graph: GraphInput;
  inputs(seed: string): Record<string, unknown>;
  check(result: unknown, seed: string): void;
}

/**
 * `runs` REST starts with `wait`, all sent at once, as that many clients would; resolves with the wall time from the
 * first request until the last checked result.
 */
export async function restBurst(session: RestSession, workflowId: string, seeded: SeededGraph, runs: number): Promise<number> {
  const started = performance.now();
  await Promise.all(
    Array.from({ length: runs }, async (_, index) => {
      const seed = `burst-${index}`;
      const run = await session.runAndWait(workflowId, seeded.inputs(seed));
      seeded.check(run.result, seed);
    }),
  );
  return performance.now() - started;
}

/** A loopback HTTP server for HTTP Request nodes: `GET /?trail=x&step=y` answers `{ "trail": "x>y" }`. */
export async function startTrailServer(): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((request, response) => {
    const query = new URL(request.url ?? '/', 'http://fixture').searchParams;
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ trail: `${query.get('trail')}>${query.get('step')}` }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}

/** Start → 3 HTTP Request → End; each request carries the previous answer's trail, so the result proves the order. */
export function httpChain(fixtureUrl: string): SeededGraph {
  const steps = ['h1', 'h2', 'h3'];
  const previous = ['start', ...steps];
  const trailOf = (id: string) => (id === 'start' ? '{{ nodes.start.output.trail }}' : `{{ nodes.${id}.output.body.trail }}`);
  return {
    graph: {
      nodes: [
        graphNode('start', 'start'),
        ...steps.map((id, index) => graphNode(id, 'http-request', { url: fixtureUrl, query: { trail: trailOf(previous[index]), step: id } })),
        graphNode('end', 'end', { value: { trail: trailOf('h3') } }),
      ],
      edges: [...steps, 'end'].map((id, index) => graphEdge(previous[index], id)),
    },
    inputs: (seed) => ({ trail: seed }),
    check(result, seed) {
      deepStrictEqual(result, { output: { trail: [seed, ...steps].join('>') }, endNodeIds: ['end'] });
    },
  };
}
