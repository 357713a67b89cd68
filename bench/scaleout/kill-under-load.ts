import { deepStrictEqual } from 'node:assert/strict';
import type { Client } from '@temporalio/client';
import { startExecutionCounter } from '../chaos/execution-counter';
import { checkExecutions, completedNodeCount, settleRuns, snapshotRuns, type TrackedRun } from '../chaos/run-snapshot';
import type { ChaosOutcome } from '../chaos/scenario';
import { accepted, countedWebhookGraph, resendRefused, runsMissingInTemporal, send, type Attempt } from '../chaos/webhook-deliveries';
import type { Cluster } from '../lib/scaleout-cluster';
import type { Teardown } from '../lib/teardown';

const DELIVERIES = 300;
/** One delivery every this many ms, round-robin over the API processes. */
const SPACING_MS = 30;
const WORKER_KILL_AT = 100;
const API_KILL_AT = 150;
/** Answers needed before the first kill, so the snapshot has runs to check however slow the machine. */
const ANSWERED_BEFORE_KILL = WORKER_KILL_AT / 2;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitUntil(done: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await sleep(20);
  }
}

/**
 * Webhook deliveries spread over every API process while one worker and then one API are SIGKILLed and not brought
 * back: the survivors carry the load, refused deliveries are re-sent to a surviving API with the same
 * Idempotency-Key, and every accepted delivery's run must complete with no node that had completed before the
 * faults running again (bench/chaos's invariants).
 */
export async function killUnderLoad(client: Client, cluster: Cluster, teardown: Teardown, progress: (line: string) => void): Promise<ChaosOutcome> {
  const counter = await startExecutionCounter(teardown, { answerDelayMs: 300 });
  const targets = await cluster.publish(countedWebhookGraph(counter.url));
  const [doomedApi, doomedWorker] = [cluster.apis[0], cluster.workers[0]];
  const keys = Array.from({ length: DELIVERIES }, (_, i) => `delivery-${i}`);
  const trackedOf = (key: string, runId: string): TrackedRun => ({ key, handle: client.workflow.getHandle(runId) });

  progress(`${DELIVERIES} deliveries over ${targets.length} APIs, one every ${SPACING_MS} ms; a worker is SIGKILLed at ${WORKER_KILL_AT}, an API at ${API_KILL_AT}`);
  const firstAnswers = new Map<string, Attempt>();
  let snapshot = { completed: new Map<string, string[]>(), inFlight: 0 };
  const kills: Promise<void>[] = [];
  let due = performance.now();
  const pending: Promise<void>[] = [];
  for (const [i, key] of keys.entries()) {
    await sleep(Math.max(0, due - performance.now()));
    if (i === WORKER_KILL_AT) {
      await waitUntil(() => firstAnswers.size >= ANSWERED_BEFORE_KILL, `${ANSWERED_BEFORE_KILL} answers before the kill`);
      const answered = [...firstAnswers].flatMap(([answeredKey, attempt]) => (accepted(attempt) ? [trackedOf(answeredKey, attempt.runId)] : []));
      snapshot = await snapshotRuns(answered, ['call']);
      kills.push(doomedWorker.kill());
      due = performance.now();
    }
    if (i === API_KILL_AT) kills.push(doomedApi.kill());
    pending.push(send(targets[i % targets.length], key).then((attempt) => void firstAnswers.set(key, attempt)));
    due += SPACING_MS;
  }
  await Promise.all([...pending, ...kills]);

  const answers = new Map(firstAnswers);
  const refused = keys.filter((key) => !accepted(firstAnswers.get(key)));
  progress(`${refused.length} deliveries refused or cut off; re-sending them to the surviving API`);
  await resendRefused(targets.filter((_, i) => cluster.apis[i] !== doomedApi), refused, answers);

  const runs = keys.flatMap((key) => {
    const answer = answers.get(key);
    return accepted(answer) ? [trackedOf(key, answer.runId)] : [];
  });
  const answeredWithoutRun = await runsMissingInTemporal(client, runs.map((tracked) => tracked.handle.workflowId));
  const settled = await settleRuns(runs, (result, key) => deepStrictEqual(result.output, { key, call: { run: key, node: 'call' } }));
  return {
    runsStarted: new Set(runs.map((tracked) => tracked.handle.workflowId)).size,
    runsCompleted: settled.completed,
    runFailures: settled.failures,
    completedNodes: completedNodeCount(snapshot),
    ...checkExecutions(snapshot, counter),
    deliveries: { sent: DELIVERIES, acceptedFirstTime: DELIVERIES - refused.length, resent: refused.length, neverAccepted: DELIVERIES - runs.length, answeredWithoutRun },
    notes: [`${snapshot.completed.size} runs accepted before the worker kill, ${snapshot.inFlight} of them in flight`, `${refused.length} deliveries refused or cut off, re-sent`],
  };
}
