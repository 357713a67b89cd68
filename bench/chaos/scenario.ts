import type { Teardown } from '../lib/teardown';

/** What every scenario gets from the runner (bench/chaos.ts). */
export interface ChaosContext {
  /** The Temporal CLI that runs dev servers. */
  cliPath: string;
  /** Prebuilt workflow bundle, so worker processes start in seconds. */
  bundlePath: string;
  /** A scratch directory of this scenario (dev server database, worker data). */
  dir: string;
  /** Whatever the scenario starts registers its undoing here; the runner runs it after the scenario, deadline or not. */
  teardown: Teardown;
  progress(line: string): void;
}

/** A node that ran more than once, with how many times the counting server saw it. */
export interface NodeExecutions {
  run: string;
  node: string;
  executions: number;
}

/** What a scenario observed; the runner turns it into the table row and the verdict. */
export interface ChaosOutcome {
  runsStarted: number;
  /** Runs that finished successfully with the result their inputs call for. */
  runsCompleted: number;
  /** Why the other runs did not complete (first few). */
  runFailures: string[];
  /** Nodes that were 'succeeded' in the run state snapshot taken just before the fault. */
  completedNodes: number;
  /** Of those, the ones executed more than once: each breaks the invariant. */
  completedNodesReexecuted: NodeExecutions[];
  /** Nodes not yet completed at the fault that ran more than once: allowed (at-least-once), shown for scale. */
  otherNodesReexecuted: number;
  /** Only for webhook scenarios. */
  deliveries?: DeliveryOutcome;
  /** What happened, in a few words each: how many runs were in flight at the fault, how long the recovery took. */
  notes: string[];
}

export interface DeliveryOutcome {
  sent: number;
  /** Deliveries answered 2xx on the first try. */
  acceptedFirstTime: number;
  /** Deliveries refused or cut off by the fault, then re-sent with the same Idempotency-Key until answered 2xx. */
  resent: number;
  /** Deliveries that were never answered 2xx, even re-sent until the deadline. */
  neverAccepted: number;
  /** Run ids answered with a 2xx that Temporal does not know: each breaks the invariant. */
  answeredWithoutRun: string[];
}

export interface ChaosScenario {
  /** Short name, used on the command line (`--only worker-kill`) and in the JSON file. */
  name: string;
  /** What is done, for the table. */
  fault: string;
  /** The whole scenario, set-up and recovery included, must end within this; past it, it fails. */
  deadlineMs: number;
  run(context: ChaosContext): Promise<ChaosOutcome>;
}
