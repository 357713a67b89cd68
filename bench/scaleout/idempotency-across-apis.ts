import type { Client } from '@temporalio/client';
import type { WebhookTarget } from '../lib/webhook-api';
import { accepted, runsMissingInTemporal, send } from '../chaos/webhook-deliveries';

const KEYS = 50;

export interface IdempotencyOutcome {
  keys: number;
  /** Deliveries sent: each key to every API process at once. */
  deliveries: number;
  /** Distinct runs the answers name: the invariant is one per key. */
  runs: number;
  /** Keys whose answers were not all 2xx naming one run. */
  disagreeing: string[];
  /** Runs answered that Temporal does not have. */
  missing: string[];
}

/**
 * Every key delivered to every API process at the same moment, as a sender retrying through a load balancer may:
 * each must be answered 2xx by all of them, naming one run, and Temporal must hold exactly that run.
 */
export async function idempotencyAcrossApis(client: Client, targets: WebhookTarget[]): Promise<IdempotencyOutcome> {
  const keys = Array.from({ length: KEYS }, (_, i) => `same-key-${i}`);
  const answers = await Promise.all(keys.map((key) => Promise.all(targets.map((target) => send(target, key)))));
  const disagreeing = keys.filter((_, i) => !answers[i].every(accepted) || new Set(answers[i].map((answer) => answer.runId)).size !== 1);
  const runIds = [...new Set(answers.flat().flatMap((answer) => (accepted(answer) ? [answer.runId] : [])))];
  return { keys: KEYS, deliveries: KEYS * targets.length, runs: runIds.length, disagreeing, missing: await runsMissingInTemporal(client, runIds) };
}
