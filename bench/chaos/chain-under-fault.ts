import { startRun } from '../../platform/start-run';
import type { WorkerProcess } from '../../test/worker-process';
import { startChaosTemporal, type ChaosTemporal } from './chaos-temporal';
import { countedChain } from './counted-graph';
import { startExecutionCounter } from './execution-counter';
import { checkExecutions, completedNodeCount, settleRuns, waitForSnapshot, type TrackedRun } from './run-snapshot';
import type { ChaosContext, ChaosOutcome } from './scenario';

export interface ChainFault {
  runs: number;
  /** Counted nodes per run: n1 completes before the fault, n2 is in flight at it, the rest come after. */
  chainLength: number;
  answerDelayMs: number;
  /**
   * Does the damage and repairs it (a new worker, a restarted server); calls `releaseHeld` when the held calls should
   * be answered. Resolves with a note on what it did.
   */
  inject(temporal: ChaosTemporal, worker: WorkerProcess, releaseHeld: () => void): Promise<string>;
}

/** The load both chain scenarios put under their fault: enough runs to be in every state at once, yet quick to settle. */
export const CHAIN_LOAD = { runs: 100, chainLength: 3, answerDelayMs: 200 } satisfies Partial<ChainFault>;

/** Within this, every run must have completed n1 and be calling n2, or the set-up is too slow to be worth waiting for. */
const SET_UP_TIMEOUT_MS = 90_000;

/**
 * Starts `runs` runs of Start → n1 … nK → End (each node an HTTP call the counter sees) on one worker process. The
 * counter holds every call of n2, so however slow the machine, the fault lands with every run in flight: n1
 * completed, n2 executing. Just before the fault, every run's node states are taken with the run state query;
 * after it, every run is awaited and no node completed before the fault may have executed again.
 */
export async function runChainUnderFault(context: ChaosContext, fault: ChainFault): Promise<ChaosOutcome> {
  const counter = await startExecutionCounter(context.teardown, { answerDelayMs: fault.answerDelayMs, holdNode: 'n2' });
  const temporal = await startChaosTemporal(context);
  const chain = countedChain(counter.url, fault.chainLength);
  const worker = await temporal.startWorker();

  context.progress(`starting ${fault.runs} runs of Start → ${fault.chainLength} HTTP Request → End; calls of n2 are held until the fault`);
  const runs: TrackedRun[] = await Promise.all(
    Array.from({ length: fault.runs }, async (_, i) => {
      const key = `run${i}`;
      const handle = await startRun(temporal.client, { graph: chain.graph, inputs: chain.inputs(key), meta: { trigger: 'cli' }, taskQueue: temporal.taskQueue });
      return { key, handle };
    }),
  );
  const everyRunCallingN2 = () => runs.every((run) => counter.executions(run.key, 'n2') > 0);
  const snapshot = await waitForSnapshot(runs, chain.nodeIds, (candidate) => everyRunCallingN2() && completedNodeCount(candidate) === fault.runs, SET_UP_TIMEOUT_MS);
  context.progress(`${snapshot.inFlight} runs in flight, ${completedNodeCount(snapshot)} nodes completed: injecting the fault`);
  const faultAt = performance.now();
  const faultNote = await fault.inject(temporal, worker, counter.release);
  counter.release();
  context.progress(`${faultNote}; waiting for the runs`);

  const settled = await settleRuns(runs, (result, key) => chain.check(result, key));
  const recoverySeconds = ((performance.now() - faultAt) / 1000).toFixed(1);
  return {
    runsStarted: runs.length,
    runsCompleted: settled.completed,
    runFailures: settled.failures,
    completedNodes: completedNodeCount(snapshot),
    ...checkExecutions(snapshot, counter),
    notes: [`${snapshot.inFlight} runs in flight at the fault`, faultNote, `all runs settled ${recoverySeconds} s after the fault`],
  };
}
