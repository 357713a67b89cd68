import type { ChaosOutcome } from './scenario';

/** The broken invariants of a finished scenario, each in one sentence; none means it passed. */
export function brokenInvariants(outcome: ChaosOutcome): string[] {
  const broken: string[] = [];
  const lost = outcome.runsStarted - outcome.runsCompleted;
  if (lost > 0) broken.push(`${lost} of ${outcome.runsStarted} runs did not complete: ${outcome.runFailures.join('; ')}`);
  if (outcome.completedNodesReexecuted.length > 0) {
    const which = outcome.completedNodesReexecuted.slice(0, 5).map(({ run, node, executions }) => `${run}/${node} ×${executions}`);
    broken.push(`${outcome.completedNodesReexecuted.length} nodes completed before the fault did not execute exactly once: ${which.join(', ')}`);
  }
  const deliveries = outcome.deliveries;
  if (deliveries && deliveries.neverAccepted > 0) broken.push(`${deliveries.neverAccepted} deliveries were never answered 2xx, even re-sent`);
  if (deliveries && deliveries.answeredWithoutRun.length > 0) {
    broken.push(`${deliveries.answeredWithoutRun.length} deliveries answered 2xx name a run Temporal does not have: ${deliveries.answeredWithoutRun.slice(0, 5).join(', ')}`);
  }
  return broken;
}
