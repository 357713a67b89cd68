import type { Client } from '@temporalio/client';
import type { GraphInput } from '../../engine/graph';
import type { WebhookTarget } from '../lib/webhook-api';
import { countedNode } from './counted-graph';

/** A delivery's answer; a refused connection or a reset is an attempt without a status. */
export interface Attempt {
  status?: number;
  runId?: string;
}

/** A sender re-sends refused deliveries this long at most before giving up on them. */
const RESEND_FOR_MS = 60_000;

export const accepted = (attempt: Attempt | undefined): attempt is Attempt & { runId: string } =>
  attempt?.status !== undefined && attempt.status >= 200 && attempt.status < 300 && attempt.runId !== undefined;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Webhook → call (counted) → End; the result holds the delivery's key and the call's answer for it. */
export function countedWebhookGraph(counterUrl: string): GraphInput {
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

/** One delivery as a sender makes it, with its Idempotency-Key. */
export async function send(target: WebhookTarget, key: string): Promise<Attempt> {
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

/**
 * Re-sends every refused delivery with its Idempotency-Key, as its sender would, until all are accepted or time is
 * up; with several endpoints (one per API process), each round tries the next one, as a load balancer would.
 */
export async function resendRefused(targets: WebhookTarget[], keys: string[], answers: Map<string, Attempt>): Promise<void> {
  const giveUpAt = Date.now() + RESEND_FOR_MS;
  let waiting = keys.filter((key) => !accepted(answers.get(key)));
  for (let round = 0; waiting.length > 0 && Date.now() < giveUpAt; round++) {
    const attempts = await Promise.all(waiting.map((key, i) => send(targets[(round + i) % targets.length], key)));
    waiting.forEach((key, i) => answers.set(key, attempts[i]));
    waiting = waiting.filter((key) => !accepted(answers.get(key)));
    if (waiting.length > 0) await sleep(500);
  }
}

/** Run ids answered 2xx that Temporal cannot describe. */
export async function runsMissingInTemporal(client: Client, runIds: string[]): Promise<string[]> {
  const described = await Promise.allSettled(runIds.map((runId) => client.workflow.getHandle(runId).describe()));
  return runIds.filter((_, i) => described[i].status === 'rejected');
}
