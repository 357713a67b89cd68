import type { GraphInput } from '../engine/graph';
import type { RunHandle } from '../platform/start-run';
import { graphEdge as edge, graphNode as node } from '../test/graph-builders';
import { createTemporalHarness, type TemporalHarness } from '../test/temporal-harness';
import { nodeIoQuery, runEventsQuery, runStateQuery } from './messages';

let temporal: TemporalHarness;

beforeAll(async () => {
  temporal = await createTemporalHarness();
});
afterAll(async () => {
  await temporal?.close();
});

/** Start → Condition → (Set high | Set low → Set merge) → Set join → End: pure nodes only. */
const branchingGraph: GraphInput = {
  nodes: [
    node('start', 'start'),
    node('check', 'condition', { rules: [{ left: '{{ input.score }}', operator: 'greaterThan', right: 50 }] }),
    node('high', 'set', { values: { verdict: 'high', score: '{{ input.score }}' } }),
    node('low', 'set', { values: { verdict: 'low' } }),
    node('flag', 'set', { values: { checked: true }, mode: 'merge' }),
    node('join', 'set', { values: { verdict: '{{ incoming.in.verdict }}', line: 'scored {{ input.score }}' } }),
    node('end', 'end'),
  ],
  edges: [edge('start', 'check'), edge('check', 'high', 'true'), edge('check', 'low', 'false'), edge('low', 'flag'), edge('high', 'join'), edge('flag', 'join'), edge('join', 'end')],
};

async function scheduledActivities(handle: RunHandle): Promise<string[]> {
  const history = await handle.fetchHistory();
  return (history.events ?? []).flatMap((event) => event.activityTaskScheduledEventAttributes?.activityType?.name ?? []);
}

test('a graph of pure nodes runs with no activity: outputs, branches, journal, events and node I/O as before', async () => {
  const handle = await temporal.start(branchingGraph, { score: 80 });
  expect(await handle.result()).toEqual({ output: { verdict: 'high', line: 'scored 80' }, endNodeIds: ['end'] });
  expect(await scheduledActivities(handle)).toEqual([]);

  const { status, nodes } = await handle.query(runStateQuery);
  expect(status).toBe('succeeded');
  expect(nodes.check).toMatchObject({ status: 'succeeded', branch: 'true' });
  expect(nodes.high).toMatchObject({ status: 'succeeded', attempts: 1, startedAt: expect.any(Number), endedAt: expect.any(Number) });
  expect([nodes.low.status, nodes.flag.status]).toEqual(['skipped', 'skipped']);

  const events = await handle.query(runEventsQuery, 0);
  expect(events.map((e) => `${e.type} ${e.nodeId ?? ''}`.trim())).toEqual([
    'node.started start',
    'node.succeeded start',
    'node.started check',
    'node.succeeded check',
    'node.started high',
    'node.skipped low',
    'node.skipped flag',
    'node.succeeded high',
    'node.started join',
    'node.succeeded join',
    'node.started end',
    'node.succeeded end',
    'run.succeeded',
  ]);
  expect(events.find((e) => e.nodeId === 'high' && e.type === 'node.succeeded')).toMatchObject({ attempts: 1 });

  const io = await handle.query(nodeIoQuery);
  expect(io.high).toEqual({ input: { config: { values: { verdict: 'high', score: 80 } }, incoming: { in: { score: 80 } } }, output: { verdict: 'high', score: 80 } });
  expect(io.join.output).toEqual({ verdict: 'high', line: 'scored 80' });
});

test('the other branch merges into its incoming object; the skipped side never runs', async () => {
  const handle = await temporal.start(branchingGraph, { score: 10 });
  expect((await handle.result()).output).toEqual({ verdict: 'low', line: 'scored 10' });
  const io = await handle.query(nodeIoQuery);
  expect(io.flag.output).toEqual({ verdict: 'low', checked: true });
  expect((await handle.query(runStateQuery)).nodes.high.status).toBe('skipped');
  expect(await scheduledActivities(handle)).toEqual([]);
});

test('Temporal Web UI lists the nodes the workflow computed in the run\'s current details', async () => {
  const handle = await temporal.start(branchingGraph, { score: 80 });
  await handle.result();
  const metadata = await handle.query<{ currentDetails?: string }>('__temporal_workflow_metadata');
  expect(metadata.currentDetails?.split('\n')).toEqual([
    '**Computed in the workflow, no activity** (5):',
    '- Start (`start`)',
    '- Condition (`check`) → true',
    '- Set (`high`)',
    '- Set (`join`)',
    '- End (`end`)',
  ]);
});

test('a Set whose config resolves to no object fails as invalid config, and continue-on-error still applies', async () => {
  const graph: GraphInput = {
    nodes: [node('start', 'start'), node('shape', 'set', { values: '{{ input.values }}' }, { continueOnError: true }), node('end', 'end', { value: '{{ nodes.shape.output.error }}' })],
    edges: [edge('start', 'shape'), edge('shape', 'end')],
  };
  const handle = await temporal.start(graph, { values: 'not an object' });
  expect((await handle.result()).output).toEqual({ type: 'InvalidNodeConfig', message: 'invalid config after templates were resolved: config.values: expected an object' });
  expect((await handle.query(runStateQuery)).nodes.shape.status).toBe('failed');
  expect(await scheduledActivities(handle)).toEqual([]);
});
