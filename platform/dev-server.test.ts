import { graphEdge, graphNode } from '../test/graph-builders';
import { sendJson, startHttpFixture, type HttpFixture } from '../test/http-fixture';
import { createTemporalHarness, type TemporalHarness } from '../test/temporal-harness';
import { waitFor } from '../test/wait-for';
import { ensureTemporalCli } from './temporal-cli';
import { freePort, startDevServer, type DevServer } from './dev-server';

const STEPS = 5;

let server: DevServer;
let metricsPort: number;
let temporal: TemporalHarness;
let http: HttpFixture;

beforeAll(async () => {
  metricsPort = await freePort();
  server = await startDevServer({ cliPath: await ensureTemporalCli(), port: 0, metricsPort });
  [temporal, http] = await Promise.all([createTemporalHarness({ address: server.address }), startHttpFixture()]);
}, 90_000);
afterAll(async () => {
  await Promise.all([temporal?.close(), http?.close()]);
  await server?.stop();
});

/** The server's own count of activities it handed to a worker in a workflow task's answer. */
async function eagerActivities(): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
  return text
    .split('\n')
    .filter((line) => line.startsWith('activity_eager_execution'))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
}

/**
 * Eager dispatch, the setting this can observe: the other one (the transfer-queue reader's load rate) shows only in
 * timings, which `npm run bench` measures (see DEV_SERVER_DYNAMIC_CONFIG).
 */
test('the dev server hands each activity of a run to the worker with the workflow task that scheduled it', async () => {
  http.route('/step', (_request, response) => sendJson(response, 200, { ok: true }));
  const steps = Array.from({ length: STEPS }, (_, index) => `step${index}`);
  const ids = ['start', ...steps, 'end'];
  const graph = {
    nodes: [graphNode('start', 'start'), ...steps.map((id) => graphNode(id, 'http-request', { url: `${http.url}/step` })), graphNode('end', 'end')],
    edges: ids.slice(1).map((id, index) => graphEdge(ids[index], id)),
  };
  const before = await eagerActivities();
  await temporal.run(graph);

  expect(http.hits('/step')).toBe(STEPS);
  // The server publishes its counters every few seconds.
  await waitFor(`${STEPS} eager activity dispatches in the server's metrics`, async () => (await eagerActivities()) - before >= STEPS, 30_000);
}, 120_000);
