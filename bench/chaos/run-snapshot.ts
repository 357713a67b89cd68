import type { WorkflowHandle } from '@temporalio/client';
import type { RunResult } from '../../engine/run-state';
import { runStateQuery } from '../../workflows/messages';
import { runPooled } from '../lib/pool';
import type { ExecutionCounter } from './execution-counter';
import type { NodeExecutions } from './scenario';

/** A run a scenario started, under the key its nodes give the execution counter. */
export interface TrackedRun {
  key: string;
  handle: WorkflowHandle;
}

/** The runs' node states as the run state query gave them, just before a fault. */
export interface RunSnapshot {
  /** Counted nodes in state 'succeeded', by run key. */
  completed: Map<string, string[]>;
  /** Runs still running. */
  inFlight: number;
}

const QUERIES_IN_FLIGHT = 25;

/** Asks every run for its state (the query the API and canvas use) and keeps which counted nodes had succeeded. */
export async function snapshotRuns(runs: TrackedRun[], countedNodeIds: readonly string[]): Promise<RunSnapshot> {
  const states = await runPooled(runs.length, QUERIES_IN_FLIGHT, (i) => runs[i].handle.query(runStateQuery));
  const completed = new Map<string, string[]>();
  runs.forEach((run, i) => completed.set(run.key, countedNodeIds.filter((node) => states[i].nodes[node]?.status === 'succeeded')));
  return { completed, inFlight: states.filter((state) => state.status === 'running').length };
}

export function completedNodeCount(snapshot: RunSnapshot): number {
  return [...snapshot.completed.values()].reduce((sum, nodes) => sum + nodes.length, 0);
}

/** Polls snapshots until `ready` holds for one, and returns that one: the last look before the fault. */
export async function waitForSnapshot(
  runs: TrackedRun[],
  countedNodeIds: readonly string[],
  ready: (snapshot: RunSnapshot) => boolean,
  timeoutMs: number,
): Promise<RunSnapshot> {
  const deadline = Date.now() + timeoutMs;
  for (let lastFailure: unknown; ; ) {
    try {
      const snapshot = await snapshotRuns(runs, countedNodeIds);
      if (ready(snapshot)) return snapshot;
    } catch (error) {
      // A query can fail while a run's first workflow task is still queued behind the others; look again.
      lastFailure = error;
    }
    if (Date.now() > deadline) throw new Error(`the runs did not reach the state the fault needs within ${timeoutMs / 1000} s`, { cause: lastFailure });
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * The invariant: a node that had succeeded before the fault executed exactly once. Nodes that were running (or
 * not started) may have run again — an attempt cut off by the fault is retried — and are only counted.
 */
export function checkExecutions(snapshot: RunSnapshot, counter: ExecutionCounter): { completedNodesReexecuted: NodeExecutions[]; otherNodesReexecuted: number } {
  const completedNodesReexecuted: NodeExecutions[] = [];
  for (const [run, nodes] of snapshot.completed) {
    for (const node of nodes) {
      const executions = counter.executions(run, node);
      if (executions !== 1) completedNodesReexecuted.push({ run, node, executions });
    }
  }
  const otherNodesReexecuted = counter.all().filter(({ run, node, executions }) => executions > 1 && !snapshot.completed.get(run)?.includes(node)).length;
  return { completedNodesReexecuted, otherNodesReexecuted };
}

/** Awaits every run; a run counts as completed when it succeeded and `check` accepts its result. */
export async function settleRuns(runs: TrackedRun[], check: (result: RunResult, key: string) => void): Promise<{ completed: number; failures: string[] }> {
  const settled = await Promise.allSettled(
    runs.map(async (run) => {
      check((await run.handle.result()) as RunResult, run.key);
    }),
  );
  const failures = settled.flatMap((outcome, i) => (outcome.status === 'rejected' ? [`${runs[i].key}: ${String((outcome.reason as Error).message ?? outcome.reason)}`] : []));
  return { completed: settled.length - failures.length, failures: failures.slice(0, 5) };
}
