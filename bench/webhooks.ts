import { parseArgs } from 'node:util';
import { positiveInteger } from './lib/cli-options';
import { withBenchTemporal, type BenchTemporal } from './lib/bench-temporal';
import { describeMachine, machineRows } from './lib/machine';
import { round, saveReport } from './lib/results';
import { percentile } from './lib/stats';
import { formatTable } from './lib/table';
import { withWebhookApi } from './lib/webhook-api';
import { ingestGraph, MAX_IN_FLIGHT, offerAndDrain, phaseMetrics, warmUp, type PhaseResult } from './lib/webhook-ingest';

/**
 * The webhook benchmark: how fast the public endpoint accepts deliveries at a few fixed offered rates, on loopback.
 *
 *   npm run bench:webhooks                                   # 25, 50 and 100 deliveries/s, 10 s each, embedded DB
 *   npm run bench:webhooks -- --rates 50,200 --seconds 5
 *   npm run bench:webhooks -- --database-url postgres://postgres@127.0.0.1:5432/<empty database>
 *
 * Set-up: a private Temporal dev server and in-process worker (bench/lib/bench-temporal.ts), a database (embedded
 * PGlite in a child process, as `npm start` runs it, or --database-url), and the real API process (api/main.ts)
 * on a free loopback port (bench/lib/webhook-api.ts). One workflow is published: Webhook (token auth, async mode, no
 * rate limit to speak of) → End. After 50 untimed warm-up deliveries, each rate is offered open-loop: deliveries
 * leave on a fixed schedule whether or not earlier ones have been answered (at most 1000 in flight), each with its
 * own Idempotency-Key, as independent senders would send them. Between rates, every run is awaited, so one rate's
 * runs do not compete with the next rate's deliveries.
 *
 * Figures: acceptance latency is from sending the request to holding the 202 (the answer is sent only after
 * Temporal accepted the start and the Run row is written); p50/p99/max over every delivery of the rate.
 * accepted/s is deliveries divided by the time from the first send to the last answer: below the offered rate,
 * the endpoint could not keep up. lag is how late the last delivery left against its schedule (the load generator
 * shares this process with the worker). Any answer but 202, or a network error, fails the benchmark: a printed
 * table means zero errors. Results go to stdout (machine details and one table) and bench/results/webhooks-<start
 * time>.json with the raw latencies. `npm run bench` measures sync mode as well.
 */

interface Options {
  rates: number[];
  seconds: number;
  databaseUrl?: string;
}

const WARMUP_DELIVERIES = 50;

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

function progress(line: string): void {
  console.error(line);
}

async function measure(temporal: BenchTemporal, options: Options): Promise<PhaseResult[]> {
  return withWebhookApi({ temporal, databaseUrl: options.databaseUrl }, async (api) => {
    const target = await api.publish(ingestGraph('async'));
    progress(`warm-up: ${WARMUP_DELIVERIES} deliveries`);
    await warmUp(temporal.client, target, 'async', WARMUP_DELIVERIES);
    const phases: PhaseResult[] = [];
    for (const rate of options.rates) {
      progress(`offering ${rate} deliveries/s for ${options.seconds} s (Webhook → End, async mode, token auth, one Idempotency-Key each), then awaiting their runs`);
      phases.push(await offerAndDrain(temporal.client, target, 'async', rate, options.seconds));
    }
    return phases;
  });
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const startedAt = new Date().toISOString();
  progress(`starting a Temporal dev server, an in-process worker, ${options.databaseUrl ? 'the given database' : 'an embedded database'} and an API process…`);
  const { machine, phases } = await withBenchTemporal(async (temporal) => ({
    machine: await describeMachine(temporal.cliPath),
    phases: await measure(temporal, options),
  }));

  const rows = phases.map((phase) => {
    const sorted = [...phase.latencyMs].sort((a, b) => a - b);
    return [
      phase.rate,
      phase.deliveries,
      round(phase.deliveries / (phase.wallMs / 1000)),
      round(percentile(sorted, 50)),
      round(percentile(sorted, 99)),
      round(percentile(sorted, 100)),
      round(phase.lagMs),
    ];
  });

  console.log(formatTable(['machine', ''], [
    ...machineRows(machine),
    ['database', options.databaseUrl ? 'PostgreSQL (--database-url)' : 'embedded PGlite'],
  ]));
  console.log();
  console.log(formatTable(['offered/s', 'deliveries', 'accepted/s', 'p50 ms', 'p99 ms', 'max ms', 'lag ms'], rows));

  const file = await saveReport({
    benchmark: 'webhooks',
    startedAt,
    machine,
    settings: { ...options, databaseUrl: options.databaseUrl ? 'given' : 'embedded', warmupDeliveries: WARMUP_DELIVERIES, maxInFlight: MAX_IN_FLIGHT },
    metrics: phases.flatMap((phase) => phaseMetrics(`${phase.rate}/s offered`, phase)),
    samples: Object.fromEntries(phases.map((phase) => [`latencyMs@${phase.rate}`, phase.latencyMs.map((ms) => round(ms, 3))])),
  });
  console.log(`\nsaved ${file}`);
}

main().catch((error: unknown) => {
  console.error('benchmark failed:', error);
  process.exit(1);
});
