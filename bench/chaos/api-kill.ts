import { deepStrictEqual } from 'node:assert/strict';
import { startWebhookApi } from '../lib/webhook-api';
import { startChaosTemporal } from './chaos-temporal';
import { startExecutionCounter } from './execution-counter';
import { checkExecutions, completedNodeCount, settleRuns, snapshotRuns, type TrackedRun } from './run-snapshot';
import type { ChaosContext, ChaosOutcome, ChaosScenario } from './scenario';
import { accepted, countedWebhookGraph, resendRefused, runsMissingInTemporal, send, type Attempt } from './webhook-deliveries';

const DELIVERIES = 300;
/** One delivery every this many ms: the kill lands mid-stream, and the stream goes on while the API restarts. */
const SPACING_MS = 30;
const KILL_AT = 100;
/**
 * Before the kill, this many of the deliveries sent so far must have their answer: the snapshot then has runs to
 * check however slow the machine, and the rest are still in flight when the API dies.
 */
const ANSWERED_BEFORE_KILL = KILL_AT / 2;
/** If the API is not back by this delivery, sending waits for it, so some deliveries surely reach the new process. */
const RESTARTED_BY = 250;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitUntil(done: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await sleep(20);
  }
}

async function run(context: ChaosContext): Promise<ChaosOutcome> {
  const counter = await startExecutionCounter(context.teardown, { answerDelayMs: 300 });
  const temporal = await startChaosTemporal(context);
  await temporal.startWorker();
  const api = await startWebhookApi({ temporal }, context.teardown);
  const target = await api.publish(countedWebhookGraph(counter.url));
  const keys = Array.from({ length: DELIVERIES }, (_, i) => `delivery-${i}`);
  const trackedOf = (key: string, runId: string): TrackedRun => ({ key, handle: temporal.client.workflow.getHandle(runId) });

  context.progress(`${DELIVERIES} deliveries, one every ${SPACING_MS} ms; the API is SIGKILLed at delivery ${KILL_AT} and started again`);
  const firstAnswers = new Map<string, Attempt>();
  let snapshot = { completed: new Map<string, string[]>(), inFlight: 0 };
  let restarted: Promise<void> = Promise.resolve();
  let killedAt = 0;
  let backAfterMs = 0;
  let due = performance.now();
  const pending: Promise<void>[] = [];
  for (const [i, key] of keys.entries()) {
    await sleep(Math.max(0, due - performance.now()));
    if (i === KILL_AT) {
      await waitUntil(() => firstAnswers.size >= ANSWERED_BEFORE_KILL, `${ANSWERED_BEFORE_KILL} answers before the kill`);
      const answered = [...firstAnswers].flatMap(([answeredKey, attempt]) => (accepted(attempt) ? [trackedOf(answeredKey, attempt.runId)] : []));
      snapshot = await snapshotRuns(answered, ['call']);
      killedAt = performance.now();
      restarted = api
        .kill()
        .then(() => api.restart())
        .then(() => void (backAfterMs = performance.now() - killedAt));
      due = performance.now();
    }
    if (i === RESTARTED_BY) {
      await restarted;
      due = performance.now();
    }
    pending.push(send(target, key).then((attempt) => void firstAnswers.set(key, attempt)));
    due += SPACING_MS;
  }
  await Promise.all(pending);
  await restarted;

  const answers = new Map(firstAnswers);
  const refused = keys.filter((key) => !accepted(firstAnswers.get(key)));
  context.progress(`${refused.length} deliveries refused or cut off; re-sending them`);
  await resendRefused([target], refused, answers);

  const runs = keys.flatMap((key) => {
    const answer = answers.get(key);
    return accepted(answer) ? [trackedOf(key, answer.runId)] : [];
  });
  const answeredWithoutRun = await runsMissingInTemporal(temporal.client, runs.map((tracked) => tracked.handle.workflowId));
  const settled = await settleRuns(runs, (result, key) => deepStrictEqual(result.output, { key, call: { run: key, node: 'call' } }));
  return {
    runsStarted: new Set(runs.map((tracked) => tracked.handle.workflowId)).size,
    runsCompleted: settled.completed,
    runFailures: settled.failures,
    completedNodes: completedNodeCount(snapshot),
    ...checkExecutions(snapshot, counter),
    deliveries: {
      sent: DELIVERIES,
      acceptedFirstTime: DELIVERIES - refused.length,
      resent: refused.length,
      neverAccepted: DELIVERIES - runs.length,
      answeredWithoutRun,
    },
    notes: [
      `${snapshot.completed.size} runs accepted before the kill, ${snapshot.inFlight} of them in flight`,
      `${refused.length} deliveries refused or cut off, re-sent until accepted`,
      `the API served again ${(backAfterMs / 1000).toFixed(1)} s after the kill`,
    ],
  };
}

/** The API process dies mid-stream; senders re-send what was refused; no accepted delivery may lack its run. */
export const apiKill: ChaosScenario = {
  name: 'api-kill',
  fault: 'SIGKILL the API during 300 webhook deliveries, start it again',
  deadlineMs: 240_000,
  run,
};
