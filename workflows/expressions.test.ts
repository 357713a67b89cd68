import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { WorkflowFailedError } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import type { GraphInput } from '../engine/graph';
import type { RunHandle } from '../platform/start-run';
import { graphEdge as edge, graphNode as node } from '../test/graph-builders';
import { createTemporalHarness, type TemporalHarness } from '../test/temporal-harness';
import { nodeIoQuery, runStateQuery } from './messages';

let temporal: TemporalHarness;

beforeAll(async () => {
  temporal = await createTemporalHarness();
});
afterAll(async () => {
  await temporal?.close();
});

const totalsExpression = '{ "cheap": $input.items[price < 5].name, "sum": $sum($input.items.price), "doubled": doubled }';

/** The n8n-style webhook flow, expressions only: fields from the body, doubled, upper-cased, counted, filtered, summed. */
const expressionGraph: GraphInput = {
  nodes: [
    node('start', 'start'),
    node('fields', 'set', {
      values: {
        doubled: '{{= $input.value * 2 }}',
        name: '{{= $uppercase($input.name) }}',
        tagCount: '{{= $count($input.tags) }}',
        line: '{{= $input.name }} has {{= $count($input.tags) }} tags',
      },
    }),
    node('totals', 'transform', { expression: totalsExpression }),
    node('end', 'end', { value: { name: '{{ nodes.fields.output.name }}', summary: '{{= $nodes.fields.output.line & "; total " & $string(sum) }}', totals: '{{ nodes.totals.output }}' } }),
  ],
  edges: [edge('start', 'fields'), edge('fields', 'totals'), edge('totals', 'end')],
};

const input = { value: 21, name: 'ada', tags: ['a', 'b', 'c'], items: [{ name: 'pen', price: 2 }, { name: 'book', price: 12 }, { name: 'clip', price: 1 }] };

async function scheduledActivities(handle: RunHandle): Promise<string[]> {
  const history = await handle.fetchHistory();
  return (history.events ?? []).flatMap((event) => event.activityTaskScheduledEventAttributes?.activityType?.name ?? []);
}

test('expressions in templates and a Transform run in the workflow, with no activity', async () => {
  const handle = await temporal.start(expressionGraph, input);
  expect(await handle.result()).toEqual({
    output: { name: 'ADA', summary: 'ada has 3 tags; total 15', totals: { cheap: ['pen', 'clip'], sum: 15, doubled: 42 } },
    endNodeIds: ['end'],
  });
  expect(await scheduledActivities(handle)).toEqual([]);
  const io = await handle.query(nodeIoQuery);
  expect(io.fields.output).toEqual({ doubled: 42, name: 'ADA', tagCount: 3, line: 'ada has 3 tags' });
  expect(io.totals).toEqual({
    input: { config: { expression: totalsExpression }, incoming: { in: io.fields.output } },
    output: { cheap: ['pen', 'clip'], sum: 15, doubled: 42 },
  });
  expect((await handle.query(runStateQuery)).nodes.totals).toMatchObject({ status: 'succeeded', attempts: 1 });
});

test('a failing expression fails its node naming the field and position; continue-on-error still applies', async () => {
  const graph: GraphInput = {
    nodes: [
      node('start', 'start'),
      node('calc', 'set', { values: { n: '{{= $input.name * 2 }}' } }, { continueOnError: true }),
      node('end', 'end', { value: '{{ nodes.calc.output.error }}' }),
    ],
    edges: [edge('start', 'calc'), edge('calc', 'end')],
  };
  const handle = await temporal.start(graph, { name: 'ada' });
  expect((await handle.result()).output).toEqual({
    type: 'ExpressionError',
    message: 'config.values.n: The left side of the "*" operator must evaluate to a number at position 14 ("*") in "$input.name * 2" [T2001]',
  });
  expect((await handle.query(runStateQuery)).nodes.calc.status).toBe('failed');

  const endless = await temporal.start({ nodes: [node('start', 'start'), node('loop', 'transform', { expression: '($f := function($x){ $f($x) }; $f(1))' })], edges: [edge('start', 'loop')] });
  await expect(endless.result()).rejects.toThrow(WorkflowFailedError);
  expect((await endless.query(runStateQuery)).nodes.loop.error?.message).toMatch(
    /^config\.expression: expression took more than 50000 evaluation steps at position \d+ \("f"\) in "\(\$f := function\(\$x\)\{ \$f\(\$x\) \}; \$f\(1\)\)" \[KAI_STEPS\]$/,
  );
});

test('the clock and random functions are the workflow\'s: the run replays to the same values', async () => {
  const graph: GraphInput = {
    nodes: [node('start', 'start'), node('when', 'transform', { expression: '{ "now": $now(), "millis": $millis(), "random": $random() }' }), node('end', 'end')],
    edges: [edge('start', 'when'), edge('when', 'end')],
  };
  const handle = await temporal.start(graph);
  const { output } = await handle.result();
  const started = (await handle.describe()).startTime.getTime();
  expect(output).toMatchObject({ random: expect.any(Number) });
  expect((output as { millis: number }).millis).toBeGreaterThanOrEqual(started);
  expect(new Date((output as { now: string }).now).getTime()).toBe((output as { millis: number }).millis);
  await Worker.runReplayHistory({ workflowBundle: { codePath: temporal.bundlePath } }, await handle.fetchHistory(), handle.workflowId);
});

test('examples/expressions.json runs as its README says', async () => {
  const graph = JSON.parse(await readFile(path.join(__dirname, '../examples/expressions.json'), 'utf8')) as GraphInput;
  const { output } = await temporal.run(graph, {
    value: 21,
    name: 'ada',
    tags: ['vip', 'beta'],
    items: [{ sku: 'pen', price: 2.5, qty: 4 }, { sku: 'lamp', price: 40, qty: 1 }, { sku: 'desk', price: 300, qty: 0 }],
  });
  expect(output).toEqual({
    customer: 'ADA',
    doubled: 42,
    tagCount: 2,
    greeting: 'Hello ADA, you have 2 tags',
    order: { inStock: ['pen', 'lamp'], total: 50, biggest: 300, tags: 'beta, vip' },
    freeShipping: true,
  });
});

test('an expression cannot read a stored output: a Transform or {{= }} over one fails saying so', async () => {
  const graph: GraphInput = {
    nodes: [
      node('start', 'start'),
      node('big', 'set', { values: { text: '{{ input.text }}' } }),
      node('size', 'transform', { expression: '$length(text)' }, { continueOnError: true }),
      node('peek', 'set', { values: { n: '{{= $length($nodes.big.output.text) }}' } }, { continueOnError: true }),
      node('end', 'end', { value: { size: '{{ nodes.size.output.error.message }}', peek: '{{ nodes.peek.output.error.message }}' } }),
    ],
    edges: [edge('start', 'big'), edge('big', 'size'), edge('big', 'peek'), edge('size', 'end'), edge('peek', 'end')],
  };
  const handle = await temporal.start(graph, { text: 'x'.repeat(300 * 1024) });
  expect((await handle.result()).output).toEqual({
    size: expect.stringMatching(/^Transform cannot read a stored output/),
    peek: expect.stringMatching(/^config\.values\.n: \$nodes\.big, \$incoming hold a stored output \(too large to carry in the run\), which expressions cannot read/),
  });
  expect(await scheduledActivities(handle)).toEqual(['set@1', 'transform@1']);
});
