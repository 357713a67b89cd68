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

/** amount ≥ 1000 routes to a "large" End, otherwise to a "small" one. */
function thresholdGraph(config: Record<string, unknown> = {}): GraphInput {
  return {
    nodes: [
      node('start', 'start'),
      node('check', 'condition', { rules: [{ left: '{{ input.amount }}', operator: 'greaterThanOrEqual', right: 1000 }], ...config }),
      node('large', 'end', { value: 'large' }),
      node('small', 'end', { value: 'small' }),
    ],
    edges: [edge('start', 'check'), edge('check', 'large', 'true'), edge('check', 'small', 'false')],
  };
}

test.each([
  [{ amount: 1500 }, 'large'],
  [{ amount: '1500' }, 'large'],
  [{ amount: 999 }, 'small'],
  [{}, 'small'],
  [{ amount: 'abc' }, 'small'],
])('amount ≥ 1000 with inputs %j takes the %s branch', async (inputs, taken) => {
  expect((await temporal.run(thresholdGraph(), inputs)).output).toBe(taken);
});

test('with onTypeMismatch "error", a missing amount fails the Condition node, which says why', async () => {
  const handle = await temporal.start(thresholdGraph({ onTypeMismatch: 'error' }), {});
  const failure = await handle.result().catch((error: unknown) => error);
  expect(failure).toBeInstanceOf(WorkflowFailedError);
  const state = await handle.query(runStateQuery);
  expect(state.nodes.check).toMatchObject({
    status: 'failed',
    error: { type: 'ConditionError', message: expect.stringContaining('greaterThanOrEqual compares numbers, but its left operand is missing') },
  });
});
