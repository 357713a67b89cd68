import { setTimeout as sleep } from 'node:timers/promises';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import type { GraphInput } from '../engine/graph';
import type { ApprovalDecision, RunState } from '../engine/run-state';
import type { RunHandle } from '../platform/start-run';
import { createTemporalHarness, type TemporalHarness } from '../test/temporal-harness';
import { decideApprovalUpdate, runEventsQuery, runStateQuery } from './messages';
import { graphEdge as edge, graphNode as node } from '../test/graph-builders';

let temporal: TemporalHarness;

beforeAll(async () => {
  temporal = await createTemporalHarness();
});
afterAll(async () => {
  await temporal?.close();
});


/**
 * Start → (gate) → Approval → one Set per outcome → End; each Set records what reached it. `gate` puts an Approval
 * before the reviewed one, keeping it pending until the test approves the gate; `holdAfterReject` puts an Approval
 * before the rejected outcome's Set, keeping the run open after a rejection until the test approves the hold.
 */
function approvalGraph(options: { timeout?: string; gate?: boolean; holdAfterReject?: boolean } = {}): GraphInput {
  const approval = node('review', 'approval', { message: 'Publish {{ input.title }}?', ...(options.timeout ? { timeout: options.timeout } : {}) });
  const intoApproval = options.gate ? [node('gate', 'approval', { message: 'Start the review?' })] : [];
  return {
    nodes: [
      node('start', 'start'),
      ...intoApproval,
      approval,
      node('publish', 'set', { values: { path: 'approved', channel: '{{ nodes.review.output.data.channel }}', by: '{{ nodes.review.output.by }}', title: '{{ input.title }}' } }),
      ...(options.holdAfterReject ? [node('hold', 'approval', { message: 'Discard it?' })] : []),
      node('discard', 'set', { values: { path: 'rejected', reason: '{{ nodes.review.output.comment }}' } }),
      node('escalate', 'set', { values: { path: 'timeout', timedOut: '{{ nodes.review.output.timedOut }}' } }),
      node('end', 'end'),
    ],
    edges: [
      ...(options.gate ? [edge('start', 'gate')] : []),
      options.gate ? edge('gate', 'review', 'approved') : edge('start', 'review'),
      edge('review', 'publish', 'approved'),
      ...(options.holdAfterReject ? [edge('review', 'hold', 'rejected'), edge('hold', 'discard', 'approved')] : [edge('review', 'discard', 'rejected')]),
      edge('review', 'escalate', 'timeout'),
      edge('publish', 'end'),
      edge('discard', 'end'),
      edge('escalate', 'end'),
    ],
  };
}

async function waitForState(handle: RunHandle, until: (state: RunState) => boolean): Promise<RunState> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const state = await handle.query(runStateQuery);
    if (until(state)) return state;
    if (Date.now() > deadline) throw new Error(`run state never matched; last: ${JSON.stringify(state)}`);
    await sleep(100);
  }
}

const decide = (handle: RunHandle, decision: ApprovalDecision) => handle.executeUpdate(decideApprovalUpdate, { args: [decision] });

async function refusal(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WorkflowUpdateFailedError);
  return (error as WorkflowUpdateFailedError).cause?.message ?? '';
}

test('an Approval waits; approving takes the approved path with the approver data available downstream', async () => {
  const handle = await temporal.start(approvalGraph({ timeout: '1h' }), { title: 'Q3 report' });
  const waiting = await waitForState(handle, (state) => state.nodes.review.status === 'waiting');
  expect(waiting.status).toBe('running');
  expect(waiting.nodes.review.message).toBe('Publish Q3 report?');
  expect(waiting.nodes.publish.status).toBe('pending');

  await expect(decide(handle, { nodeId: 'review', approved: true, data: { channel: 'blog' }, comment: 'ship it', by: 'ana' })).resolves.toEqual({
    nodeId: 'review',
    approved: true,
  });
  const result = await handle.result();
  expect(result.output).toEqual({ path: 'approved', channel: 'blog', by: 'ana', title: 'Q3 report' });
  const { nodes } = await handle.query(runStateQuery);
  expect(nodes.review).toMatchObject({ status: 'succeeded', branch: 'approved' });
  expect(nodes.discard.status).toBe('skipped');
  expect(nodes.escalate.status).toBe('skipped');
});

test('rejecting takes the rejected path with the comment', async () => {
  const handle = await temporal.start(approvalGraph(), { title: 'draft' });
  await waitForState(handle, (state) => state.nodes.review.status === 'waiting');
  await decide(handle, { nodeId: 'review', approved: false, comment: 'needs a chart' });
  expect((await handle.result()).output).toEqual({ path: 'rejected', reason: 'needs a chart' });
  const { nodes } = await handle.query(runStateQuery);
  expect(nodes.review.branch).toBe('rejected');
  expect(nodes.publish.status).toBe('skipped');
});

test('with nobody deciding, a 1 s timeout takes the timeout path', async () => {
  const started = Date.now();
  const handle = await temporal.start(approvalGraph({ timeout: '1s' }));
  expect((await handle.result()).output).toEqual({ path: 'timeout', timedOut: true });
  expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
  const { nodes } = await handle.query(runStateQuery);
  expect(nodes.review).toMatchObject({ status: 'succeeded', branch: 'timeout' });
  expect(nodes.publish.status).toBe('skipped');
  expect(nodes.discard.status).toBe('skipped');
});

test('a decision for an unknown node, a node that is not an Approval, or an Approval not yet waiting is refused', async () => {
  // The gate keeps the review pending and the hold keeps the run open after the rejection, each until the test
  // approves it, so every decision below reaches a running workflow in the state the test expects.
  const handle = await temporal.start(approvalGraph({ gate: true, timeout: '1h', holdAfterReject: true }));
  await waitForState(handle, (state) => state.nodes.gate.status === 'waiting');

  expect(await refusal(decide(handle, { nodeId: 'nope', approved: true }))).toBe('no Approval node "nope" in this run');
  expect(await refusal(decide(handle, { nodeId: 'publish', approved: true }))).toBe('no Approval node "publish" in this run');
  expect(await refusal(decide(handle, { nodeId: 'review', approved: true }))).toBe('Approval node "review" is not waiting for a decision (it is pending)');

  await decide(handle, { nodeId: 'gate', approved: true });
  await waitForState(handle, (state) => state.nodes.review.status === 'waiting');
  await decide(handle, { nodeId: 'review', approved: false });
  expect(await refusal(decide(handle, { nodeId: 'review', approved: true }))).toMatch(/^Approval node "review" is not waiting for a decision/);
  await waitForState(handle, (state) => state.nodes.hold.status === 'waiting');
  await decide(handle, { nodeId: 'hold', approved: true });
  expect((await handle.result()).output).toEqual({ path: 'rejected' });
});

test('a 1 s Delay sets a 1 s timer, waits at least that long while reporting waiting, and passes its input on', async () => {
  const graph: GraphInput = {
    nodes: [node('start', 'start'), node('pause', 'delay', { duration: '1s' }), node('end', 'end')],
    edges: [edge('start', 'pause'), edge('pause', 'end')],
  };
  const handle = await temporal.start(graph, { order: 42, items: ['a', 'b'] });
  expect((await handle.result()).output).toEqual({ order: 42, items: ['a', 'b'] });

  // How long the wait lasted depends on the machine's load; the timer it asked the server for does not.
  const { events } = await handle.fetchHistory();
  const timers = (events ?? []).flatMap(({ timerStartedEventAttributes: timer }) => (timer ? [Number(timer.startToFireTimeout?.seconds ?? 0) * 1000 + (timer.startToFireTimeout?.nanos ?? 0) / 1e6] : []));
  expect(timers).toEqual([1000]);
  const { nodes } = await handle.query(runStateQuery);
  expect(nodes.pause.endedAt! - nodes.pause.startedAt!).toBeGreaterThanOrEqual(1000);
  const pauseEvents = (await handle.query(runEventsQuery, 0)).filter((e) => e.nodeId === 'pause').map((e) => e.type);
  expect(pauseEvents).toEqual(['node.started', 'node.waiting', 'node.succeeded']);
});
