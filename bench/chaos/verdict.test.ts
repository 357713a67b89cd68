import type { ChaosOutcome } from './scenario';
import { brokenInvariants } from './verdict';

const clean: ChaosOutcome = {
  runsStarted: 100,
  runsCompleted: 100,
  runFailures: [],
  completedNodes: 100,
  completedNodesReexecuted: [],
  otherNodesReexecuted: 100,
  deliveries: { sent: 300, acceptedFirstTime: 200, resent: 100, neverAccepted: 0, answeredWithoutRun: [] },
  notes: [],
};

test('a scenario whose interrupted nodes ran again, and nothing else, breaks no invariant', () => {
  expect(brokenInvariants(clean)).toEqual([]);
});

test('a lost run, a completed node run twice, an unaccepted delivery and a 2xx without a run are each reported', () => {
  const broken = brokenInvariants({
    ...clean,
    runsCompleted: 99,
    runFailures: ['run7: WorkflowFailedError'],
    completedNodesReexecuted: [{ run: 'run3', node: 'n1', executions: 2 }],
    deliveries: { ...clean.deliveries!, neverAccepted: 1, answeredWithoutRun: ['run-abc'] },
  });
  expect(broken).toEqual([
    '1 of 100 runs did not complete: run7: WorkflowFailedError',
    '1 nodes completed before the fault did not execute exactly once: run3/n1 ×2',
    '1 deliveries were never answered 2xx, even re-sent',
    '1 deliveries answered 2xx name a run Temporal does not have: run-abc',
  ]);
});
