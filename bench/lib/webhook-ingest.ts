import type { Client } from '@temporalio/client';
import type { GraphInput } from '../../engine/graph';
import { echoGraph } from '../../test/webhook-fixture';
import { runPooled } from './pool';
import { round, type Metric } from './results';
import { percentile } from './stats';
import type { WebhookTarget } from './webhook-api';

/**
 * Offering webhook deliveries at a fixed rate and measuring how they are answered. async: the answer is 202 with
 * the run id, once Temporal holds the run; sync: the answer is the End node's output, so it waits for the whole run.
 */
export type ResponseMode = 'async' | 'sync';

/** Most deliveries in flight at once; a schedule that would need more slips, and the phase reports it as lag. */
export const MAX_IN_FLIGHT = 1000;

/** Webhook (token auth, no rate limit to speak of) → End; in sync mode the End answers the delivery's own key. */
export function ingestGraph(mode: ResponseMode): GraphInput {
  const hook = { authMode: 'token', responseMode: mode, rateLimitPerMinute: 100_000 };
  return echoGraph(hook, mode === 'sync' ? { value: { key: '{{ input.body.key }}' } } : {});
}

export interface PhaseResult {
  mode: ResponseMode;
  rate: number;
  deliveries: number;
  latencyMs: number[];
  wallMs: number;
  /** How far behind schedule the last delivery went out (the in-flight cap or a busy event loop). */
  lagMs: number;
  /** Runs of async deliveries, still to be awaited; sync answers come after their run has finished. */
  runIds: string[];
}

let deliverySerial = 0;

/**
 * One delivery with its own Idempotency-Key, checked: async must answer 202 with a run id, sync 200 with its own
 * key echoed by the End node. Anything else (a sync fallback to 202 included) or a network error throws.
 */
export async function deliver(target: WebhookTarget, mode: ResponseMode): Promise<{ latencyMs: number; runId?: string }> {
  const key = `bench-${++deliverySerial}`;
  const started = performance.now();
  const response = await fetch(target.url, {
    method: 'POST',
    headers: { authorization: `Bearer ${target.secret}`, 'content-type': 'application/json', 'idempotency-key': key },
    body: JSON.stringify({ key, sentAt: Date.now() }),
  });
  const body = (await response.json()) as { runId?: string; key?: string };
  const latencyMs = performance.now() - started;
  const expected = mode === 'async' ? response.status === 202 && body.runId !== undefined : response.status === 200 && body.key === key;
  if (!expected) throw new Error(`${mode} delivery ${key} answered ${response.status}: ${JSON.stringify(body)}`);
  return { latencyMs, runId: body.runId };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Open loop: deliveries leave on a fixed schedule whether or not earlier ones have been answered. */
export async function offer(target: WebhookTarget, mode: ResponseMode, rate: number, seconds: number): Promise<PhaseResult> {
  const count = rate * seconds;
  const interval = 1000 / rate;
  const latencyMs: number[] = [];
  const runIds: string[] = [];
  const inFlight = new Set<Promise<void>>();
  let failure: Error | undefined;
  const began = performance.now();
  let lagMs = 0;
  for (let i = 0; i < count && failure === undefined; i++) {
    const due = began + i * interval;
    await sleep(Math.max(0, due - performance.now()));
    while (inFlight.size >= MAX_IN_FLIGHT) await Promise.race(inFlight);
    lagMs = Math.max(lagMs, performance.now() - due);
    const sent: Promise<void> = deliver(target, mode)
      .then((answer) => {
        latencyMs.push(answer.latencyMs);
        if (answer.runId) runIds.push(answer.runId);
      })
      .catch((error: unknown) => {
        failure ??= error instanceof Error ? error : new Error(String(error));
      })
      .finally(() => inFlight.delete(sent));
    inFlight.add(sent);
  }
  await Promise.all(inFlight);
  if (failure !== undefined) throw failure;
  return { mode, rate, deliveries: count, latencyMs, wallMs: performance.now() - began, lagMs, runIds };
}

/** Waits for every run of a phase, so the next phase does not share the worker with their tail. */
export async function drain(client: Client, runIds: string[]): Promise<void> {
  await runPooled(runIds.length, 100, (i) => client.workflow.getHandle(runIds[i]).result());
}

/** Deliveries ten at a time, their runs awaited, so the measured phases start on warm caches and connections. */
export async function warmUp(client: Client, target: WebhookTarget, mode: ResponseMode, deliveries: number): Promise<void> {
  const answers = await runPooled(deliveries, 10, () => deliver(target, mode));
  await drain(client, answers.flatMap((answer) => (answer.runId ? [answer.runId] : [])));
}

/** One measured phase ({@link offer}), then its runs awaited ({@link drain}). */
export async function offerAndDrain(client: Client, target: WebhookTarget, mode: ResponseMode, rate: number, seconds: number): Promise<PhaseResult> {
  const phase = await offer(target, mode, rate, seconds);
  await drain(client, phase.runIds);
  return phase;
}

/** The figures of a phase; `label` tells phases apart in one table. */
export function phaseMetrics(label: string, phase: PhaseResult): Metric[] {
  const sorted = [...phase.latencyMs].sort((a, b) => a - b);
  const [answered, answer] = phase.mode === 'async' ? ['accepted', 'acceptance'] : ['answered', 'answer'];
  return [
    { metric: `${label}: ${answered}`, value: round(phase.deliveries / (phase.wallMs / 1000)), unit: 'deliveries/s' },
    { metric: `${label}: ${answer} p50`, value: round(percentile(sorted, 50)), unit: 'ms' },
    { metric: `${label}: ${answer} p99`, value: round(percentile(sorted, 99)), unit: 'ms' },
    { metric: `${label}: ${answer} max`, value: round(percentile(sorted, 100)), unit: 'ms' },
    { metric: `${label}: schedule lag`, value: round(phase.lagMs), unit: 'ms' },
  ];
}
