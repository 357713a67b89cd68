import { deepStrictEqual } from 'node:assert/strict';
import autocannon from 'autocannon';
import type { GraphInput } from '../../engine/graph';
import { graphEdge, graphNode } from '../../test/graph-builders';

/**
 * The sync webhook workload of the fast-path issue: Webhook (no auth, sync answer) → 4 Set nodes that copy and merge
 * fields → End, its output the answer. Driven closed-loop by autocannon: every connection sends its next delivery
 * as soon as the previous one is answered, and every answer is checked against its own delivery.
 */

export function syncWebhookGraph(): GraphInput {
  // The default limit (600 a minute) guards a public endpoint; a load test offers thousands.
  const hook = { authMode: 'none', responseMode: 'sync', rateLimitPerMinute: 100_000 };
  return {
    nodes: [
      graphNode('hook', 'webhook', hook),
      graphNode('copy', 'set', { values: { id: '{{ nodes.hook.output.body.id }}', name: '{{ nodes.hook.output.body.name }}' } }),
      graphNode('greet', 'set', { mode: 'merge', values: { greeting: 'Hello, {{ nodes.copy.output.name }}' } }),
      graphNode('locate', 'set', { mode: 'merge', values: { city: '{{ nodes.hook.output.body.address.city }}', source: 'webhook' } }),
      graphNode('stamp', 'set', { mode: 'merge', values: { handled: true } }),
      graphNode('end', 'end'),
    ],
    edges: [graphEdge('hook', 'copy'), graphEdge('copy', 'greet'), graphEdge('greet', 'locate'), graphEdge('locate', 'stamp'), graphEdge('stamp', 'end')],
  };
}

const delivery = (serial: number) => ({ id: `d-${serial}`, name: `Ada ${serial}`, address: { city: 'Paris', zip: '75001' }, tags: ['bench'] });

const expectedAnswer = (serial: number) => ({ id: `d-${serial}`, name: `Ada ${serial}`, greeting: `Hello, Ada ${serial}`, city: 'Paris', source: 'webhook', handled: true });

export interface SyncWebhookLoad {
  connections: number;
  seconds: number;
  /** Answers that were 200 and exactly their delivery's expected output. */
  answered: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Anything else: a non-2xx answer, a wrong body, a connection error or a timeout (10 s). */
  errors: number;
  firstError?: string;
}

let serials = 0;

/**
 * `connections` closed loops against the sync endpoint `url` for `seconds`. With several URLs (one endpoint per API
 * process), autocannon spreads the connections over them round-robin.
 */
export async function loadSyncWebhook(url: string | string[], connections: number, seconds: number): Promise<SyncWebhookLoad> {
  let wrong = 0;
  let firstError: string | undefined;
  const result = await autocannon({
    // autocannon takes an array of URLs (README, lib/url.js); @types/autocannon has only the string form.
    url: url as string,
    connections,
    duration: seconds,
    pipelining: 1,
    timeout: 10,
    requests: [
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        setupRequest(request, context: { serial?: number }) {
          context.serial = ++serials;
          return { ...request, body: JSON.stringify(delivery(context.serial)) };
        },
        onResponse(status, body, context: { serial?: number }) {
          if (status !== 200) {
            firstError ??= `delivery d-${context.serial} answered ${status}: ${body}`;
            return; // counted by autocannon as non-2xx
          }
          try {
            deepStrictEqual(JSON.parse(body), expectedAnswer(context.serial as number));
          } catch (error) {
            wrong++;
            firstError ??= `delivery d-${context.serial}: ${error instanceof Error ? error.message : String(error)}`;
          }
        },
      },
    ],
  });
  const errors = wrong + result.errors + result.non2xx;
  if (result.errors > 0) firstError ??= `${result.errors} connection errors or timeouts`;
  return {
    connections,
    seconds,
    answered: result['2xx'] - wrong,
    requestsPerSecond: (result['2xx'] - wrong) / result.duration,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    maxMs: result.latency.max,
    errors,
    firstError,
  };
}
