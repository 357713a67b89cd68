import { deepStrictEqual } from 'node:assert/strict';
import type { GraphInput } from '../../engine/graph';
import { startWebhookApi, type WebhookTarget } from '../lib/webhook-api';
import { startChaosTemporal, type ChaosTemporal } from './chaos-temporal';
import { countedNode } from './counted-graph';
import { startExecutionCounter } from './execution-counter';
import { checkExecutions, completedNodeCount, settleRuns, snapshotRuns, type TrackedRun } from './run-snapshot';
import type { ChaosContext, ChaosOutcome, ChaosScenario } from './scenario';

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
/** A sender re-sends refused deliveries this long at most before giving up on them. */
const RESEND_FOR_MS = 60_000;

interface Attempt {
  status?: number;
  runId?: string;
}

const accepted = (attempt: Attempt | undefined): attempt is Attempt & { runId: string } =>
  attempt?.status !== undefined && attempt.status >= 200 && attempt.status < 300 && attempt.runId !== undefined;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitUntil(done: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await sleep(20);
  }
}

/** Webhook → call (counted) → End; the result holds the delivery's key and the call's answer for it. */
function countedWebhookGraph(counterUrl: string): GraphInput {
  return {
    nodes: [
      { id: 'hook', type: 'webhook', version: 1, data: { config: { authMode: 'token', rateLimitPerMinute: 100_000 } } },
      countedNode('call', counterUrl, '{{ input.body.key }}'),
      { id: 'end', type: 'end', version: 1, data: { config: { value: { key: '{{ input.body.key }}', call: '{{ nodes.call.output.body }}' } } } },
    ],
    edges: [
      { id: 'hook-call', source: 'hook', target: 'call' },
      { id: 'call-end', source: 'call', target: 'end' },
    ],
  };
}

/** One delivery as a sender makes it; a refused connection or a reset is an attempt without a status. */
async function send(target: WebhookTarget, key: string): Promise<Attempt> {
  try {
    const response = await fetch(target.url, {
      method: 'POST',
      headers: { authorization: `Bearer ${target.secret}`, 'content-type': 'application/json', 'idempotency-key': key },
      body: JSON.stringify({ key }),
    });
    const body = (await response.json()) as { runId?: string };
    return { status: response.status, runId: body.runId };
  } catch {
    return {};
  }
}

/** Re-sends every refused delivery with its Idempotency-Key, as its sender would, until all are accepted or time is up. */
async function resendRefused(target: WebhookTarget, keys: string[], answers: Map<string, Attempt>): Promise<void> {
  const giveUpAt = Date.now() + RESEND_FOR_MS;
  let waiting = keys.filter((key) => !accepted(answers.get(key)));
  while (waiting.length > 0 && Date.now() < giveUpAt) {
    const attempts = await Promise.all(waiting.map((key) => send(target, key)));
    waiting.forEach((key, i) => answers.set(key, attempts[i]));
    waiting = waiting.filter((key) => !accepted(answers.get(key)));
    if (waiting.length > 0) await sleep(500);
  }
}

/** Run ids answered 2xx that Temporal cannot describe. */
async function runsMissingInTemporal(temporal: ChaosTemporal, runIds: string[]): Promise<string[]> {
  const described = await Promise.allSettled(runIds.map((runId) => temporal.client.workflow.getHandle(runId).describe()));
  return runIds.filter((_, i) => described[i].status === 'rejected');
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
  await resendRefused(target, refused, answers);

  const runs = keys.flatMap((key) => {
    const answer = answers.get(key);
    return accepted(answer) ? [trackedOf(key, answer.runId)] : [];
  });
  const answeredWithoutRun = await runsMissingInTemporal(temporal, runs.map((tracked) => tracked.handle.workflowId));
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
