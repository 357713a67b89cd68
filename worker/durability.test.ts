import type { GraphInput } from '../engine/graph';
import { sendJson, startHttpFixture, type HttpFixture } from '../test/http-fixture';
import { createTemporalHarness, type TemporalHarness } from '../test/temporal-harness';
import { waitFor } from '../test/wait-for';
import { runStateQuery } from '../workflows/messages';

let temporal: TemporalHarness;
let http: HttpFixture;

beforeAll(async () => {
  [temporal, http] = await Promise.all([createTemporalHarness({ worker: false }), startHttpFixture()]);
});
afterAll(() => Promise.all([temporal?.close(), http?.close()]));

const CHAIN = ['a', 'b', 'c'] as const;
type ChainNode = (typeof CHAIN)[number];

/** Start → a → b → c → End, each an HTTP call naming its run; End collects the three answers. */
function chainGraph(url: string): GraphInput {
  const ids = ['start', ...CHAIN, 'end'];
  return {
    nodes: [
      { id: 'start', type: 'start', version: 1 },
      ...CHAIN.map((id) => ({
        id,
        type: 'http-request',
        version: 1,
        data: {
          config: { url: `${url}/${id}`, query: { run: '{{ input.run }}' } },
          retry: { maximumAttempts: 5, initialInterval: '200ms', backoffCoefficient: 1 },
          // Without a heartbeat timeout the attempt on the dead worker would only be retried after startToClose.
          timeouts: { heartbeat: '3s' },
        },
      })),
      { id: 'end', type: 'end', version: 1, data: { config: { value: { a: '{{ nodes.a.output.body }}', b: '{{ nodes.b.output.body }}', c: '{{ nodes.c.output.body }}' } } } },
    ],
    edges: ids.slice(1).map((target, i) => ({ id: `${ids[i]}-${target}`, source: ids[i], target })),
  };
}

test('runs survive a SIGKILLed worker: finished nodes do not run again and the interrupted one is retried once', async () => {
  const hits = new Map<string, number>();
  const hitsOf = (node: ChainNode, run: string) => hits.get(`${node}/${run}`) ?? 0;
  let openB: () => void = () => undefined;
  // b holds its answers until the worker is dead, so every run is certainly mid-b at the kill however slow the machine.
  const workerKilled = new Promise<void>((resolve) => (openB = resolve));
  for (const node of CHAIN) {
    http.route(`/${node}`, async (req, res) => {
      const run = new URL(req.url ?? '', 'http://x').searchParams.get('run') ?? '';
      hits.set(`${node}/${run}`, hitsOf(node, run) + 1);
      if (node === 'b') await workerKilled;
      setTimeout(() => sendJson(res, 200, { node, run }), 1000);
    });
  }

  const first = await temporal.startWorkerProcess();
  const runs = ['r1', 'r2', 'r3'];
  const graph = chainGraph(http.url);
  const handles = await Promise.all(runs.map((run) => temporal.start(graph, { run })));

  await waitFor('every run to have finished a and to be calling b', async () => {
    if (!runs.every((run) => hitsOf('b', run) === 1)) return false;
    const states = await Promise.all(handles.map((handle) => handle.query(runStateQuery)));
    return states.every((state) => state.nodes.a.status === 'succeeded' && state.nodes.b.status === 'running');
  });
  expect(runs.map((run) => hitsOf('c', run))).toEqual([0, 0, 0]);

  await first.kill();
  openB();
  await temporal.startWorkerProcess();

  const results = await Promise.all(handles.map((handle) => handle.result()));
  expect(results.map((result) => result.output)).toEqual(runs.map((run) => Object.fromEntries(CHAIN.map((node) => [node, { node, run }]))));
  expect(http.hits('/a')).toBe(runs.length);
  for (const run of runs) {
    expect({ run, a: hitsOf('a', run), b: hitsOf('b', run), c: hitsOf('c', run) }).toEqual({ run, a: 1, b: 2, c: 1 });
  }
  const states = await Promise.all(handles.map((handle) => handle.query(runStateQuery)));
  expect(states.map((state) => state.nodes.b.attempts)).toEqual([2, 2, 2]);
}, 180_000);
