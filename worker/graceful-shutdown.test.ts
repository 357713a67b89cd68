import { graphEdge, graphNode } from '../test/graph-builders';
import { sendJson, startHttpFixture, type HttpFixture } from '../test/http-fixture';
import { createTemporalHarness, type TemporalHarness } from '../test/temporal-harness';
import { waitFor } from '../test/wait-for';
import { freePort } from '../platform/dev-server';
import { runStateQuery } from '../workflows/messages';

let temporal: TemporalHarness;
let http: HttpFixture;

beforeAll(async () => {
  [temporal, http] = await Promise.all([createTemporalHarness({ worker: false }), startHttpFixture()]);
});
afterAll(() => Promise.all([temporal?.close(), http?.close()]));

test('SIGTERM mid-run: the in-flight node finishes (not retried), the worker exits 0, the next worker completes the run', async () => {
  const httpPort = await freePort();
  // `slow` answers only once the worker is stopping, so the SIGTERM always lands while the node is in flight.
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  http.route('/slow', async (_request, response) => {
    await released;
    sendJson(response, 200, { slow: 'done' });
  });
  http.route('/next', (_request, response) => sendJson(response, 200, { next: 'done' }));
  const graph = {
    nodes: [
      graphNode('start', 'start'),
      graphNode('slow', 'http-request', { url: `${http.url}/slow` }, { retry: { maximumAttempts: 3, initialInterval: '200ms' } }),
      graphNode('next', 'http-request', { url: `${http.url}/next` }),
      graphNode('end', 'end', { value: { slow: '{{ nodes.slow.output.body }}', next: '{{ nodes.next.output.body }}' } }),
    ],
    edges: [graphEdge('start', 'slow'), graphEdge('slow', 'next'), graphEdge('next', 'end')],
  };

  const first = await temporal.startWorkerProcess({ httpPort });
  expect(await (await fetch(`http://127.0.0.1:${httpPort}/health`)).json()).toEqual({ status: 'ok', state: 'RUNNING' });
  const handle = await temporal.start(graph);
  await waitFor('the slow node to be called', () => http.hits('/slow') === 1);

  const stopped = first.stop();
  try {
    await waitFor('the worker to report it is stopping', async () => {
      const health = await fetch(`http://127.0.0.1:${httpPort}/health`).then((response) => response.json() as Promise<{ state: string }>, () => undefined);
      return health !== undefined && health.state !== 'RUNNING';
    });
  } finally {
    release();
  }
  expect(await stopped).toEqual({ code: 0, signal: null });
  // The history (no worker is left to answer a query) shows the slow node's attempt completed by the stopped worker.
  const history = await handle.fetchHistory();
  const completedActivities = history.events?.filter((event) => event.activityTaskCompletedEventAttributes).length ?? 0;
  expect(completedActivities).toBe(1);
  expect(http.hits('/next')).toBe(0);

  await temporal.startWorkerProcess();
  const result = await handle.result();
  expect(result.output).toEqual({ slow: { slow: 'done' }, next: { next: 'done' } });
  expect(http.hits('/slow')).toBe(1);
  expect(http.hits('/next')).toBe(1);
  const state = await handle.query(runStateQuery);
  expect([state.nodes.slow.attempts, state.nodes.next.attempts]).toEqual([1, 1]);
}, 120_000);
