import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { SessionResponse } from '../api/contract/auth';
import { spawnEmbeddedPostgres } from '../db/embedded-postgres-process';
import { migrateToLatest, openDatabase } from '../db/orm';
import { secretKey } from '../db/secret-box';
import { freePort } from '../platform/dev-server';
import { startApiProcess, type ApiProcess } from '../test/api-process';
import { echoGraph, publishGraph } from '../test/webhook-fixture';
import { withBenchTemporal, type BenchTemporal } from './lib/bench-temporal';
import { describeMachine, machineRows } from './lib/machine';
import { runPooled } from './lib/pool';
import { round, saveReport, type Metric } from './lib/results';
import { percentile } from './lib/stats';
import { formatTable } from './lib/table';

/**
 * The webhook benchmark: how fast the public endpoint accepts deliveries at a few fixed offered rates, on loopback.
 *
 *   npm run bench:webhooks                                   # 25, 50 and 100 deliveries/s, 10 s each, embedded DB
 *   npm run bench:webhooks -- --rates 50,200 --seconds 5
 *   npm run bench:webhooks -- --database-url postgres://postgres@127.0.0.1:5432/<empty database>
 *
 * Set-up: a private Temporal dev server and in-process worker (bench/lib/bench-temporal.ts), a database (embedded
 * PGlite in a child process, as `npm start` runs it, or --database-url), and the real API process (api/main.ts)
 * on a free loopback port. One workflow is published: Webhook (token auth, async mode, no rate limit to speak of)
 * → End. After 50 untimed warm-up deliveries, each rate is offered open-loop: deliveries leave on a fixed
 * schedule whether or not earlier ones have been answered (at most 1000 in flight), each with its own
 * Idempotency-Key, as independent senders would send them. Between rates, every run is awaited, so one rate's runs
 * do not compete with the next rate's deliveries.
 *
 * Figures: acceptance latency is from sending the request to holding the 202 (the answer is sent only after
 * Temporal accepted the start and the Run row is written); p50/p99/max over every delivery of the rate.
 * accepted/s is deliveries divided by the time from the first send to the last answer: below the offered rate,
 * the endpoint could not keep up. lag is how late the last delivery left against its schedule (the load generator
 * shares this process with the worker). Any answer but 202, or a network error, fails the benchmark: a printed
 * table means zero errors. Results go to stdout (machine details and one table) and bench/results/webhooks-<start
 * time>.json with the raw latencies.
 */

interface Options {
  rates: number[];
  seconds: number;
  databaseUrl?: string;
}

const WARMUP_DELIVERIES = 50;
/** Most deliveries in flight at once; a schedule that would need more slips, and the phase reports it. */
const MAX_IN_FLIGHT = 1000;

function parseOptions(args: string[]): Options {
  const { values } = parseArgs({
    args,
    options: { rates: { type: 'string', default: '25,50,100' }, seconds: { type: 'string', default: '10' }, 'database-url': { type: 'string' } },
    strict: true,
    allowPositionals: false,
  });
  const rates = values.rates.split(',').map((text) => positiveInteger('--rates', text));
  return { rates, seconds: positiveInteger('--seconds', values.seconds), databaseUrl: values['database-url'] };
}

function positiveInteger(flag: string, text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`${flag} must hold positive integers, got "${text}"`);
  return value;
}

function progress(line: string): void {
  console.error(line);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Target {
  url: string;
  secret: string;
}

interface PhaseResult {
  rate: number;
  deliveries: number;
  latencyMs: number[];
  wallMs: number;
  /** How far behind schedule the last delivery went out (the in-flight cap or a busy event loop). */
  lagMs: number;
  runIds: string[];
}

let deliverySerial = 0;

/** One delivery with its own Idempotency-Key; anything but 202 (or a network error) fails the benchmark. */
async function deliver(target: Target): Promise<{ latencyMs: number; runId: string }> {
  const key = `bench-${++deliverySerial}`;
  const started = performance.now();
  const response = await fetch(target.url, {
    method: 'POST',
    headers: { authorization: `Bearer ${target.secret}`, 'content-type': 'application/json', 'idempotency-key': key },
    body: JSON.stringify({ key, sentAt: Date.now() }),
  });
  const body = (await response.json()) as { runId?: string };
  const latencyMs = performance.now() - started;
  if (response.status !== 202 || !body.runId) throw new Error(`delivery ${key} answered ${response.status}: ${JSON.stringify(body)}`);
  return { latencyMs, runId: body.runId };
}

/** Open loop: deliveries leave on a fixed schedule whether or not earlier ones have been answered. */
async function offer(target: Target, rate: number, seconds: number): Promise<PhaseResult> {
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
    const sent: Promise<void> = deliver(target)
      .then((answer) => {
        latencyMs.push(answer.latencyMs);
        runIds.push(answer.runId);
      })
      .catch((error: unknown) => {
        failure ??= error instanceof Error ? error : new Error(String(error));
      })
      .finally(() => inFlight.delete(sent));
    inFlight.add(sent);
  }
  await Promise.all(inFlight);
  if (failure !== undefined) throw failure;
  return { rate, deliveries: count, latencyMs, wallMs: performance.now() - began, lagMs, runIds };
}

/** Waits for every run of a phase, so the next phase does not share the worker with their tail. */
async function drain(temporal: BenchTemporal, runIds: string[]): Promise<void> {
  await runPooled(runIds.length, 100, (i) => temporal.client.workflow.getHandle(runIds[i]).result());
}

async function withDatabase<T>(options: Options, body: (url: string) => Promise<T>): Promise<T> {
  if (options.databaseUrl) return body(options.databaseUrl);
  const embedded = await spawnEmbeddedPostgres({ dir: 'memory://', port: 0 });
  try {
    return await body(embedded.url);
  } finally {
    await embedded.stop();
  }
}

/**
 * The API runs as its own process (api/main.ts, as deployed), so the load generator and the worker in this
 * process do not share its event loop; the database is the embedded one in a child process, or --database-url.
 */
async function measure(temporal: BenchTemporal, databaseUrl: string, options: Options): Promise<PhaseResult[]> {
  const orm = await openDatabase(databaseUrl);
  const dataDir = await mkdtemp(path.join(tmpdir(), 'kai-bench-api-'));
  let api: ApiProcess | undefined;
  try {
    await migrateToLatest(orm);
    const encryptionKey = secretKey(randomBytes(32));
    api = await startApiProcess({
      databaseUrl,
      temporalAddress: temporal.address,
      taskQueue: temporal.taskQueue,
      port: await freePort(),
      encryptionKey: encryptionKey.bytes.toString('base64'),
      jwtSecret: randomBytes(32).toString('hex'),
      dataDir,
    });
    const owner = await signUp(api.url);
    const { hooks } = await publishGraph({ orm, encryptionKey }, owner, echoGraph({ authMode: 'token', rateLimitPerMinute: 100_000 }));
    const target = { url: `${api.url}/api/webhooks/${hooks.hook.id}`, secret: hooks.hook.secret };

    progress(`warm-up: ${WARMUP_DELIVERIES} deliveries`);
    const warmup = await runPooled(WARMUP_DELIVERIES, 10, () => deliver(target));
    await drain(temporal, warmup.map((answer) => answer.runId));
    const phases: PhaseResult[] = [];
    for (const rate of options.rates) {
      progress(`offering ${rate} deliveries/s for ${options.seconds} s (Webhook → End, async mode, token auth, one Idempotency-Key each)`);
      const phase = await offer(target, rate, options.seconds);
      progress(`  waiting for the ${phase.runIds.length} runs to finish`);
      await drain(temporal, phase.runIds);
      phases.push(phase);
    }
    return phases;
  } finally {
    await api?.stop();
    await orm.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

async function signUp(origin: string): Promise<{ userId: string; workspaceId: string }> {
  const signedUp = await fetch(`${origin}/api/v1/auth/signup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: `bench-${randomBytes(4).toString('hex')}@example.com`, password: 'correct horse battery staple' }),
  });
  if (signedUp.status !== 201) throw new Error(`sign-up failed: ${signedUp.status} ${await signedUp.text()}`);
  const session = (await signedUp.json()) as SessionResponse;
  const me = await fetch(`${origin}/api/v1/auth/me`, { headers: { authorization: `Bearer ${session.accessToken}` } });
  const body = (await me.json()) as { user: { id: string }; workspace: { id: string } };
  return { userId: body.user.id, workspaceId: body.workspace.id };
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const startedAt = new Date().toISOString();
  progress(`starting a Temporal dev server, an in-process worker, ${options.databaseUrl ? 'the given database' : 'an embedded database'} and an API process…`);
  const { machine, phases } = await withBenchTemporal(async (temporal) => ({
    machine: await describeMachine(temporal.cliPath),
    phases: await withDatabase(options, (url) => measure(temporal, url, options)),
  }));

  const rows = phases.map((phase) => {
    const sorted = [...phase.latencyMs].sort((a, b) => a - b);
    return {
      rate: phase.rate,
      deliveries: phase.deliveries,
      acceptedPerSecond: round(phase.deliveries / (phase.wallMs / 1000)),
      p50: round(percentile(sorted, 50)),
      p99: round(percentile(sorted, 99)),
      max: round(percentile(sorted, 100)),
      lag: round(phase.lagMs),
    };
  });
  const metrics: Metric[] = rows.flatMap((row) => [
    { metric: `${row.rate}/s offered: accepted`, value: row.acceptedPerSecond, unit: 'deliveries/s' },
    { metric: `${row.rate}/s offered: acceptance p50`, value: row.p50, unit: 'ms' },
    { metric: `${row.rate}/s offered: acceptance p99`, value: row.p99, unit: 'ms' },
    { metric: `${row.rate}/s offered: acceptance max`, value: row.max, unit: 'ms' },
    { metric: `${row.rate}/s offered: schedule lag`, value: row.lag, unit: 'ms' },
  ]);

  console.log(formatTable(['machine', ''], [
    ...machineRows(machine),
    ['database', options.databaseUrl ? 'PostgreSQL (--database-url)' : 'embedded PGlite'],
  ]));
  console.log();
  console.log(
    formatTable(
      ['offered/s', 'deliveries', 'accepted/s', 'p50 ms', 'p99 ms', 'max ms', 'lag ms'],
      rows.map((row) => [row.rate, row.deliveries, row.acceptedPerSecond, row.p50, row.p99, row.max, row.lag]),
    ),
  );

  const file = await saveReport({
    benchmark: 'webhooks',
    startedAt,
    machine,
    settings: { ...options, databaseUrl: options.databaseUrl ? 'given' : 'embedded', warmupDeliveries: WARMUP_DELIVERIES, maxInFlight: MAX_IN_FLIGHT },
    metrics,
    samples: Object.fromEntries(phases.map((phase) => [`latencyMs@${phase.rate}`, phase.latencyMs.map((ms) => round(ms, 3))])),
  });
  console.log(`\nsaved ${file}`);
}

main().catch((error: unknown) => {
  console.error('benchmark failed:', error);
  process.exit(1);
});
