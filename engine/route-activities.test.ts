import { planRun } from '../activities/plan-run';
import { parseActivityRoutes, routeActivities } from './route-activities';
import { startRun } from '../platform/start-run';
import { graphEdge, graphNode } from '../test/graph-builders';
import { sendJson, startHttpFixture, type HttpFixture } from '../test/http-fixture';
import { createTemporalHarness, type TemporalHarness } from '../test/temporal-harness';

/** Start → HTTP Request → End: a node with I/O, so always an activity (a pure Set would be computed by the workflow). */
const graphCalling = (url: string) => ({
  nodes: [graphNode('start', 'start'), graphNode('greet', 'http-request', { url, query: { name: '{{ input.name }}' } }), graphNode('end', 'end')],
  edges: [graphEdge('start', 'greet'), graphEdge('greet', 'end')],
});

test('routes are read from type=queue pairs and a malformed pair is named', () => {
  expect(parseActivityRoutes(' llm-chat=kai-llm , agent=kai-llm ')).toEqual({ 'llm-chat': 'kai-llm', agent: 'kai-llm' });
  expect(parseActivityRoutes('')).toEqual({});
  expect(() => parseActivityRoutes('llm-chat')).toThrow('"llm-chat" is not node-type=task-queue');
});

test('only activities of routed types get a task queue, and the plan is otherwise unchanged', () => {
  const plan = planRun(graphCalling('https://example.com/greet'));
  const routed = routeActivities(plan, { 'http-request': 'elsewhere', set: 'unused' });
  expect(routed.nodes.find((node) => node.id === 'greet')).toMatchObject({ activity: { taskQueue: 'elsewhere' } });
  expect(routed.nodes.filter((node) => node.id !== 'greet')).toEqual(plan.nodes.filter((node) => node.id !== 'greet'));
  expect(routeActivities(plan, {})).toBe(plan);
});

describe('a routed run', () => {
  let flow: TemporalHarness;
  let routedQueue: TemporalHarness;
  let http: HttpFixture;
  beforeAll(async () => {
    // The run's own queue has no worker for activities of routed types to land on by mistake: each harness polls its own queue.
    [flow, routedQueue, http] = await Promise.all([createTemporalHarness(), createTemporalHarness(), startHttpFixture()]);
    http.route('/greet', (req, res) => sendJson(res, 200, { greeting: `hello ${new URL(req.url ?? '', 'http://x').searchParams.get('name')}` }));
  });
  afterAll(async () => {
    await Promise.all([flow?.close(), routedQueue?.close(), http?.close()]);
  });

  test("runs the routed node's activity on the other queue's workers", async () => {
    const graph = graphCalling(`${http.url}/greet`);
    const handle = await startRun(flow.client, { graph, inputs: { name: 'Ada' }, meta: { trigger: 'test' }, taskQueue: flow.taskQueue, activityRoutes: { 'http-request': routedQueue.taskQueue } });
    const result = await handle.result();
    expect(result.output).toMatchObject({ body: { greeting: 'hello Ada' } });
    const history = await handle.fetchHistory();
    const scheduled = (history.events ?? []).flatMap((event) => (event.activityTaskScheduledEventAttributes ? [event.activityTaskScheduledEventAttributes] : []));
    expect(scheduled.map((attributes) => [attributes.activityType?.name, attributes.taskQueue?.name])).toEqual([['http-request@1', routedQueue.taskQueue]]);
  });
});
