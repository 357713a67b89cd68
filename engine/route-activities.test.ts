import { planExecution } from './plan-execution';
import { parseActivityRoutes, routeActivities } from './route-activities';
import { startRun } from '../platform/start-run';
import { graphEdge, graphNode } from '../test/graph-builders';
import { createTemporalHarness, type TemporalHarness } from '../test/temporal-harness';

const graph = {
  nodes: [graphNode('start', 'start'), graphNode('shape', 'set', { values: { greeting: 'hello {{ input.name }}' } }), graphNode('end', 'end')],
  edges: [graphEdge('start', 'shape'), graphEdge('shape', 'end')],
};

test('routes are read from type=queue pairs and a malformed pair is named', () => {
  expect(parseActivityRoutes(' llm-chat=kai-llm , agent=kai-llm ')).toEqual({ 'llm-chat': 'kai-llm', agent: 'kai-llm' });
  expect(parseActivityRoutes('')).toEqual({});
  expect(() => parseActivityRoutes('llm-chat')).toThrow('"llm-chat" is not node-type=task-queue');
});

test('only activities of routed types get a task queue, and the plan is otherwise unchanged', () => {
  const plan = planExecution(graph);
  const routed = routeActivities(plan, { set: 'elsewhere', 'http-request': 'unused' });
  expect(routed.nodes.find((node) => node.id === 'shape')?.activity?.taskQueue).toBe('elsewhere');
  expect(routed.nodes.filter((node) => node.id !== 'shape')).toEqual(plan.nodes.filter((node) => node.id !== 'shape'));
  expect(routeActivities(plan, {})).toBe(plan);
});

describe('a routed run', () => {
  let flow: TemporalHarness;
  let routedQueue: TemporalHarness;
  beforeAll(async () => {
    // The run's own queue has no worker for activities of routed types to land on by mistake: each harness polls its own queue.
    [flow, routedQueue] = await Promise.all([createTemporalHarness(), createTemporalHarness()]);
  });
  afterAll(async () => {
    await Promise.all([flow?.close(), routedQueue?.close()]);
  });

  test("runs the routed node's activity on the other queue's workers", async () => {
    const handle = await startRun(flow.client, { graph, inputs: { name: 'Ada' }, meta: { trigger: 'test' }, taskQueue: flow.taskQueue, activityRoutes: { set: routedQueue.taskQueue } });
    const result = await handle.result();
    expect(result.output).toEqual({ greeting: 'hello Ada' });
    const history = await handle.fetchHistory();
    const scheduled = (history.events ?? []).flatMap((event) => (event.activityTaskScheduledEventAttributes ? [event.activityTaskScheduledEventAttributes] : []));
    expect(scheduled.map((attributes) => [attributes.activityType?.name, attributes.taskQueue?.name])).toEqual([['set@1', routedQueue.taskQueue]]);
  });
});
