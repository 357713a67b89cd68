import { WorkflowFailedError } from '@temporalio/client';
import type { GraphInput } from '../engine/graph';
import { graphEdge as edge, graphNode as node } from '../test/graph-builders';
import { createTemporalHarness, type TemporalHarness } from '../test/temporal-harness';
import { sendJson, startHttpFixture, type HttpFixture } from '../test/http-fixture';
import { nodeIoQuery, runEventsQuery, runStateQuery } from './messages';
import { planRun } from '../activities/plan-run';
import { interpretGraph } from './interpret-graph';
import { startRun } from '../platform/start-run';
import { waitFor } from '../test/wait-for';

let temporal: TemporalHarness;
let http: HttpFixture;

beforeAll(async () => {
  [temporal, http] = await Promise.all([createTemporalHarness(), startHttpFixture()]);
});
afterAll(async () => {
  await Promise.all([temporal?.close(), http?.close()]);
});


test('a linear graph passes data along edges and through templates', async () => {
  http.route('/article', (_req, res) => sendJson(res, 200, { title: 'Durable AI' }));
  const graph: GraphInput = {
    nodes: [
      node('start', 'start'),
      node('fetch', 'http-request', { url: `${http.url}/article`, query: { q: '{{ input.topic }}' } }),
      node('shape', 'set', { values: { title: '{{ nodes.fetch.output.body.title }}', line: 'About {{ input.topic }}: {{ incoming.in.status }}' } }),
      node('end', 'end'),
    ],
    edges: [edge('start', 'fetch'), edge('fetch', 'shape'), edge('shape', 'end')],
  };
  const result = await temporal.run(graph, { topic: 'temporal' });
  expect(result).toEqual({ output: { title: 'Durable AI', line: 'About temporal: 200' }, endNodeIds: ['end'] });
});

test('a diamond joins after both branches, and its independent branches run in parallel', async () => {
  // Each branch's request is held until both branches have one in flight: a run that executed them one after the
  // other would never get the second request while the first waits, so the wait below would time out.
  let openGate!: () => void;
  const gate = new Promise<void>((resolve) => (openGate = resolve));
  const waiting = new Set<string | null>();
  http.route('/gate', async (req, res) => {
    const branch = new URL(req.url ?? '', 'http://x').searchParams.get('b');
    waiting.add(branch);
    await gate;
    sendJson(res, 200, { branch });
  });
  const graph: GraphInput = {
    nodes: [
      node('start', 'start'),
      node('left', 'http-request', { url: `${http.url}/gate`, query: { b: 'left' } }),
      node('right', 'http-request', { url: `${http.url}/gate`, query: { b: 'right' } }),
      node('join', 'set', { values: { left: '{{ nodes.left.output.body.branch }}', right: '{{ nodes.right.output.body.branch }}' } }),
      node('end', 'end'),
    ],
    edges: [edge('start', 'left'), edge('start', 'right'), edge('left', 'join'), edge('right', 'join'), edge('join', 'end')],
  };
  const handle = await temporal.start(graph);
  try {
    await waitFor('both branches to have a request in flight at once', () => waiting.has('left') && waiting.has('right'), 30_000);
  } finally {
    openGate();
  }
  const result = await handle.result();
  expect(result.output).toEqual({ left: 'left', right: 'right' });
});

test('a 50-node fan-out/fan-in gives every branch to the join', async () => {
  const branches = Array.from({ length: 50 }, (_, i) => `b${i}`);
  const graph: GraphInput = {
    nodes: [
      node('start', 'start'),
      ...branches.map((id, i) => node(id, 'set', { values: { n: i, x: '{{ input.x }}' } })),
      node('join', 'set', { values: { all: '{{ incoming.in }}' } }),
      node('end', 'end', { value: '{{ nodes.join.output.all }}' }),
    ],
    edges: [...branches.flatMap((id) => [edge('start', id), edge(id, 'join')]), edge('join', 'end')],
  };
  const result = await temporal.run(graph, { x: 'y' });
  expect(result.output).toEqual(branches.map((_, i) => ({ n: i, x: 'y' })));
});

test('a condition routes to one branch, skips the other, and the join still runs', async () => {
  const graph: GraphInput = {
    nodes: [
      node('start', 'start'),
      node('check', 'condition', { rules: [{ left: '{{ input.score }}', operator: 'greaterThan', right: 50 }] }),
      node('high', 'set', { values: { verdict: 'high' } }),
      node('low', 'set', { values: { verdict: 'low' } }),
      node('afterLow', 'set', { values: { checked: true }, mode: 'merge' }),
      node('join', 'set', { values: { verdict: '{{ incoming.in.verdict }}' } }),
      node('end', 'end'),
    ],
    edges: [edge('start', 'check'), edge('check', 'high', 'true'), edge('check', 'low', 'false'), edge('low', 'afterLow'), edge('high', 'join'), edge('afterLow', 'join'), edge('join', 'end')],
  };
  const high = await temporal.start(graph, { score: 80 });
  expect((await high.result()).output).toEqual({ verdict: 'high' });
  const state = await high.query(runStateQuery);
  expect(state.nodes.low.status).toBe('skipped');
  expect(state.nodes.afterLow.status).toBe('skipped');
  expect(state.nodes.check.branch).toBe('true');
  expect((await temporal.run(graph, { score: 10 })).output).toEqual({ verdict: 'low' });
});

test('a node that fails twice then succeeds is retried per its policy with 3 attempts recorded', async () => {
  http.route('/flaky', (_req, res, hit) => (hit <= 2 ? sendJson(res, 503, { hit }) : sendJson(res, 200, { hit })));
  const graph: GraphInput = {
    nodes: [
      node('start', 'start'),
      node('flaky', 'http-request', { url: `${http.url}/flaky` }, { retry: { maximumAttempts: 4, initialInterval: '100ms', backoffCoefficient: 1 } }),
      node('end', 'end'),
    ],
    edges: [edge('start', 'flaky'), edge('flaky', 'end')],
  };
  const handle = await temporal.start(graph);
  expect(((await handle.result()).output as { body: unknown }).body).toEqual({ hit: 3 });
  const state = await handle.query(runStateQuery);
  expect(state.nodes.flaky).toMatchObject({ status: 'succeeded', attempts: 3 });
  expect(http.hits('/flaky')).toBe(3);
});

test('an HTTP 404 is not retried and fails the run naming the node', async () => {
  const graph: GraphInput = {
    nodes: [node('start', 'start'), node('missing', 'http-request', { url: `${http.url}/nowhere` }, { retry: { maximumAttempts: 5, initialInterval: '100ms' } }), node('end', 'end')],
    edges: [edge('start', 'missing'), edge('missing', 'end')],
  };
  const handle = await temporal.start(graph);
  const error = await handle.result().catch((e: unknown) => e);
  expect(error).toBeInstanceOf(WorkflowFailedError);
  expect((error as WorkflowFailedError).cause?.message).toMatch(/node "HTTP Request" \(missing\) failed: GET .*\/nowhere answered 404/);
  const state = await handle.query(runStateQuery);
  expect(state.nodes.missing).toMatchObject({ status: 'failed', attempts: 1, error: { type: 'HttpClientError' } });
  expect(state.nodes.end.status).toBe('not_run');
  expect(http.hits('/nowhere')).toBe(1);
});

test('continue-on-error makes the error the node output and the run goes on', async () => {
  const graph: GraphInput = {
    nodes: [
      node('start', 'start'),
      node('missing', 'http-request', { url: `${http.url}/gone` }, { continueOnError: true }),
      node('end', 'end', { value: '{{ nodes.missing.output.error.type }}' }),
    ],
    edges: [edge('start', 'missing'), edge('missing', 'end')],
  };
  expect((await temporal.run(graph)).output).toBe('HttpClientError');
});

test('an output over the inline limit travels by reference and templates still read into it', async () => {
  const big = await createTemporalHarness({ inlineOutputLimitBytes: 2048 });
  try {
    http.route('/big', (_req, res) => sendJson(res, 200, { title: 'large', filler: 'x'.repeat(10_000) }));
    const graph: GraphInput = {
      nodes: [
        node('start', 'start'),
        node('fetch', 'http-request', { url: `${http.url}/big` }),
        node('pick', 'set', { values: { title: '{{ nodes.fetch.output.body.title }}', text: 'title={{ nodes.fetch.output.body.title }}' } }),
        node('end', 'end'),
      ],
      edges: [edge('start', 'fetch'), edge('fetch', 'pick'), edge('pick', 'end')],
    };
    const handle = await big.start(graph);
    expect((await handle.result()).output).toEqual({ title: 'large', text: 'title=large' });
    const history = JSON.stringify((await handle.fetchHistory()).events);
    expect(history).not.toContain('x'.repeat(1000));
  } finally {
    await big.close();
  }
});

test('events are numbered in order and nodeIo shows resolved inputs and outputs', async () => {
  const graph: GraphInput = {
    nodes: [node('start', 'start'), node('greet', 'set', { values: { text: 'hi {{ input.name }}' } }), node('end', 'end')],
    edges: [edge('start', 'greet'), edge('greet', 'end')],
  };
  const handle = await temporal.start(graph, { name: 'Ada' });
  await handle.result();
  const events = await handle.query(runEventsQuery, 0);
  expect(events.map((e) => `${e.seq} ${e.type} ${e.nodeId ?? ''}`.trim())).toEqual([
    '1 node.started start',
    '2 node.succeeded start',
    '3 node.started greet',
    '4 node.succeeded greet',
    '5 node.started end',
    '6 node.succeeded end',
    '7 run.succeeded',
  ]);
  expect((await handle.query(runEventsQuery, 5)).map((e) => e.seq)).toEqual([6, 7]);
  const io = await handle.query(nodeIoQuery);
  expect(io.greet).toEqual({ input: { config: { values: { text: 'hi Ada' } }, incoming: { in: { name: 'Ada' } } }, output: { text: 'hi Ada' } });
});

test('a re-run reuses recorded upstream outcomes and runs only from the chosen node on', async () => {
  http.route('/side-effect', (_req, res) => sendJson(res, 200, { paid: true }));
  const graph: GraphInput = {
    nodes: [
      node('start', 'start'),
      node('pay', 'http-request', { url: `${http.url}/side-effect` }),
      node('after', 'set', { values: { paid: '{{ nodes.pay.output.body.paid }}', note: '{{ input.note }}' } }),
      node('end', 'end'),
    ],
    edges: [edge('start', 'pay'), edge('pay', 'after'), edge('after', 'end')],
  };
  const first = await temporal.start(graph, { note: 'one' });
  await first.result();
  expect(http.hits('/side-effect')).toBe(1);
  const io = await first.query(nodeIoQuery);
  const rerun = await temporal.client.workflow.start(interpretGraph, {
    taskQueue: temporal.taskQueue,
    workflowId: `${first.workflowId}-rerun`,
    args: [{ plan: planRun(graph), inputs: { note: 'one' }, meta: { trigger: 'test', rerunOf: first.workflowId }, reuse: { start: { output: io.start.output }, pay: { output: io.pay.output } } }],
  });
  expect((await rerun.result()).output).toEqual({ paid: true, note: 'one' });
  expect(http.hits('/side-effect')).toBe(1);
  const state = await rerun.query(runStateQuery);
  expect(state.nodes.pay).toMatchObject({ status: 'succeeded', reusedFrom: first.workflowId });
  expect(state.nodes.after.reusedFrom).toBeUndefined();
});

test("a reference to another workspace's stored output, smuggled in through the inputs, is not loaded", async () => {
  const big = await createTemporalHarness({ inlineOutputLimitBytes: 2048 });
  try {
    http.route('/private', (_req, res) => sendJson(res, 200, { plans: 'y'.repeat(5000) }));
    const fetchGraph: GraphInput = {
      nodes: [node('start', 'start'), node('fetch', 'http-request', { url: `${http.url}/private` }), node('end', 'end')],
      edges: [edge('start', 'fetch'), edge('fetch', 'end')],
    };
    const owner = await startRun(big.client, { graph: fetchGraph, meta: { trigger: 'test', workspaceId: 'workspace-a' }, taskQueue: big.taskQueue });
    const { output: stolen } = await owner.result();
    expect(stolen).toMatchObject({ $kaiRef: expect.stringMatching(/^file:/) });

    const readGraph: GraphInput = {
      nodes: [node('start', 'start'), node('read', 'set', { values: { loot: '{{ input.stolen }}' } }), node('end', 'end')],
      edges: [edge('start', 'read'), edge('read', 'end')],
    };
    const thief = await startRun(big.client, { graph: readGraph, inputs: { stolen }, meta: { trigger: 'test', workspaceId: 'workspace-b' }, taskQueue: big.taskQueue });
    await expect(thief.result()).rejects.toThrow(WorkflowFailedError);
    expect((await thief.query(runStateQuery)).nodes.read.error?.message).toMatch(/not a stored output of this store/);
  } finally {
    await big.close();
  }
});
