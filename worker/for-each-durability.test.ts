import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { startRun } from '../platform/start-run';
import { createApiHarness, type ApiHarness, type TestAccount } from '../test/api-harness';
import { graphEdge as edge, graphNode as node } from '../test/graph-builders';
import { sendJson, startHttpFixture, type HttpFixture } from '../test/http-fixture';
import { createPublishedWorkflow } from '../test/published-workflow';
import { testEnv } from '../test/temporal-harness';
import { waitFor } from '../test/wait-for';
import { startWorkerProcess, type WorkerProcess } from '../test/worker-process';
import type { ForEachOutput } from '../workflows/for-each';

let harness: ApiHarness;
let account: TestAccount;
let http: HttpFixture;
const workers: WorkerProcess[] = [];

beforeAll(async () => {
  [harness, http] = await Promise.all([createApiHarness(), startHttpFixture()]);
  account = await harness.signUp('durable-loop');
});
afterAll(async () => {
  await Promise.all(workers.map((worker) => worker.kill()));
  await Promise.all([harness?.close(), http?.close()]);
});

const ITEMS = 40;
const CONCURRENCY = 4;
/** Items at and past this one are held until the worker is dead: the loop is certainly mid-chunk at the kill. */
const HELD_FROM = 20;

test('a For Each survives a SIGKILLed worker: no finished item calls out again, only the items in flight are retried', async () => {
  const hits = new Map<number, number>();
  let releaseHeld: () => void = () => undefined;
  const workerKilled = new Promise<void>((resolve) => (releaseHeld = resolve));
  http.route('/item', async (req, res) => {
    const item = Number(new URL(req.url ?? '', 'http://x').searchParams.get('n'));
    hits.set(item, (hits.get(item) ?? 0) + 1);
    if (item >= HELD_FROM) await workerKilled;
    sendJson(res, 200, { item, square: item * item });
  });
  const itemWorkflowId = await createPublishedWorkflow(harness.database.orm, account, {
    nodes: [
      node('start', 'start'),
      // Without a heartbeat timeout the attempt on the dead worker would only be retried after startToClose.
      node('fetch', 'http-request', { url: `${http.url}/item`, query: { n: '{{ input.item }}' } }, { retry: { maximumAttempts: 5, initialInterval: '200ms', backoffCoefficient: 1 }, timeouts: { heartbeat: '3s' } }),
      node('end', 'end', { value: '{{ nodes.fetch.output.body.square }}' }),
    ],
    edges: [edge('start', 'fetch'), edge('fetch', 'end')],
  });

  const taskQueue = `test-${randomUUID()}`;
  const { address, bundlePath, dir } = testEnv();
  const startWorker = async () => {
    const worker = await startWorkerProcess({ address, taskQueue, bundlePath, dataDir: path.join(dir, `for-each-${taskQueue}`), env: { DATABASE_URL: harness.database.url } });
    workers.push(worker);
    return worker;
  };
  const first = await startWorker();
  const list = Array.from({ length: ITEMS }, (_, i) => i);
  const handle = await startRun(harness.temporal.client, {
    graph: { nodes: [node('start', 'start'), node('loop', 'for-each', { workflowId: itemWorkflowId, items: '{{ input.list }}', concurrency: CONCURRENCY }), node('end', 'end')], edges: [edge('start', 'loop'), edge('loop', 'end')] },
    inputs: { list },
    taskQueue,
    meta: { trigger: 'api', workspaceId: account.workspaceId },
  });

  // Calls start in item order, each once a call before it has finished: when the four held ones are in flight, the
  // twenty before them have finished, and their results are in the chunk's history.
  const held = list.slice(HELD_FROM, HELD_FROM + CONCURRENCY);
  await waitFor('the calls of the first held items to be in flight', () => held.every((item) => hits.get(item) === 1));
  expect(list.slice(0, HELD_FROM).map((item) => hits.get(item))).toEqual(Array(HELD_FROM).fill(1));
  expect(list.slice(HELD_FROM + CONCURRENCY).some((item) => hits.has(item))).toBe(false);

  await first.kill();
  releaseHeld();
  await startWorker();

  const { output } = await handle.result();
  expect((output as ForEachOutput).results).toEqual(list.map((item) => item * item));
  expect(list.map((item) => hits.get(item))).toEqual(list.map((item) => (held.includes(item) ? 2 : 1)));
}, 180_000);
