import { parseArgs } from 'node:util';
import { positiveInteger } from './lib/cli-options';
import { withBenchTemporal } from './lib/bench-temporal';
import {
  DEFAULT_THROUGHPUT,
  engineSettings,
  latencyMetrics,
  measureLatency,
  measureThroughput,
  throughputMetrics,
  type ThroughputOptions,
} from './lib/engine-phases';
import { describeMachine, machineRows } from './lib/machine';
import { round, saveReport } from './lib/results';
import { formatTable } from './lib/table';
import { withWebhookApi } from './lib/webhook-api';

/**
 * The engine benchmark alone (`npm run bench:engine`): chain latency over REST (10 Set, then 10 Transform) and
 * throughput, as in `npm run bench`, with the CPU each process spends per run and the throughput phase configurable.
 * See bench/README.md.
 */

function parseOptions(args: string[]): ThroughputOptions {
  const { values } = parseArgs({
    args,
    options: { runs: { type: 'string', default: String(DEFAULT_THROUGHPUT.runs) }, concurrency: { type: 'string', default: String(DEFAULT_THROUGHPUT.concurrency) } },
    strict: true,
    allowPositionals: false,
  });
  return { runs: positiveInteger('--runs', values.runs), concurrency: positiveInteger('--concurrency', values.concurrency) };
}

function progress(line: string): void {
  console.error(line);
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const startedAt = new Date().toISOString();
  progress('starting a Temporal dev server, an in-process worker, an embedded database and an API process…');
  const { machine, latency, transformLatency, throughput } = await withBenchTemporal(async (temporal) => ({
    machine: await describeMachine(temporal.cliPath),
    ...(await withWebhookApi({ temporal }, async (api) => ({ latency: await measureLatency(api, progress), transformLatency: await measureLatency(api, progress, undefined, 'Transform') }))),
    throughput: await measureThroughput(temporal, options, progress),
  }));
  const metrics = [...latencyMetrics(latency), ...latencyMetrics(transformLatency), ...throughputMetrics(options, throughput)];

  console.log(formatTable(['machine', ''], machineRows(machine)));
  console.log();
  console.log(formatTable(['metric', 'value', 'unit'], metrics.map((m) => [m.metric, m.value, m.unit])));

  const file = await saveReport({
    benchmark: 'engine',
    startedAt,
    machine,
    settings: engineSettings(options),
    metrics,
    samples: { latencyMs: latency.samples.map((ms) => round(ms, 3)), transformLatencyMs: transformLatency.samples.map((ms) => round(ms, 3)) },
  });
  console.log(`\nsaved ${file}`);
}

main().catch((error: unknown) => {
  console.error('benchmark failed:', error);
  process.exit(1);
});
