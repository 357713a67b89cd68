import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { WorkflowFailedError } from '@temporalio/client';
import type { GraphInput } from '../../engine/graph';
import { graphEdge as edge, graphNode as node } from '../../test/graph-builders';
import { createTemporalHarness, type TemporalHarness } from '../../test/temporal-harness';
import { runStateQuery } from '../../workflows/messages';

let temporal: TemporalHarness;

beforeAll(async () => {
  temporal = await createTemporalHarness();
});
afterAll(async () => {
  await temporal?.close();
});

/** Start → Code → End, the End returning what the Code node produced. */
function codeGraph(code: string, settings: Record<string, unknown> = {}): GraphInput {
  return {
    nodes: [node('start', 'start'), node('code', 'code', { code, ...settings }), node('end', 'end', { value: '{{ nodes.code.output }}' })],
    edges: [edge('start', 'code'), edge('code', 'end')],
  };
}

test('a run computes with the Code node: its result and console output are the node\u2019s output', async () => {
  const code = [
    'const paid = $input.orders.filter((order) => order.paid);',
    'console.log(`${paid.length} of ${$input.orders.length} paid`);',
    'return { customers: [...new Set(paid.map((order) => order.customer))], total: paid.reduce((sum, order) => sum + order.amount, 0) };',
  ].join('\n');
  const orders = [
    { customer: 'ada', amount: 30, paid: true },
    { customer: 'bob', amount: 12, paid: false },
    { customer: 'ada', amount: 8, paid: true },
  ];
  const { output } = await temporal.run(codeGraph(code), { orders });
  expect(output).toEqual({ result: { customers: ['ada'], total: 38 }, logs: [{ level: 'log', message: '2 of 3 paid' }], logsTruncated: false });
});

test('examples/code-node.json summarises orders by customer, as examples/README.md shows', async () => {
  const graph = JSON.parse(await readFile(path.join(__dirname, '../../examples/code-node.json'), 'utf8')) as GraphInput;
  const orders = [
    { customer: 'ada', quantity: 2, unitPrice: 15 },
    { customer: 'bob', quantity: 1, unitPrice: 12 },
    { customer: 'ada', quantity: 1, unitPrice: 8 },
  ];
  expect((await temporal.run(graph, { orders })).output).toEqual({
    customers: [
      { customer: 'ada', orders: 2, total: 38 },
      { customer: 'bob', orders: 1, total: 12 },
    ],
    top: 'ada',
    revenue: 50,
  });
});

test.each([
  ['a syntax error', 'return $input.;', {}, 'CodeSyntaxError', /^Code has a syntax error at line 1, column \d+: /],
  ['a thrown error', 'throw new RangeError("no orders");', {}, 'CodeError', /^Code threw RangeError at line 1, column \d+: no orders$/],
  ['an endless loop', 'for (;;) {}', { timeoutMs: 100 }, 'CodeTimeLimit', /^Code exceeded its 0\.1 s CPU time limit$/],
])('%s fails the node once, with no retry, saying what happened', async (_name, code, settings, type, message) => {
  const handle = await temporal.start(codeGraph(code, settings), {});
  await expect(handle.result()).rejects.toBeInstanceOf(WorkflowFailedError);
  const state = await handle.query(runStateQuery);
  expect(state.nodes.code).toMatchObject({ status: 'failed', attempts: 1, error: { type, message: expect.stringMatching(message) } });
});

test('a graph with a Code node over its limits is refused before it runs, naming the fields', async () => {
  const handle = temporal.start(codeGraph('return 1;', { timeoutMs: 60_000, memoryLimitMb: 1024 }), {});
  const error = (await handle.catch((caught: unknown) => caught)) as Error;
  expect(error.message).toMatch(/nodes\.code\.data\.config\.timeoutMs/);
  expect(error.message).toMatch(/nodes\.code\.data\.config\.memoryLimitMb/);
});
