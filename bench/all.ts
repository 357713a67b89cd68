import { parseArgs } from 'node:util';
import { withBenchTemporal, type BenchTemporal } from './lib/bench-temporal';
import { positiveInteger } from './lib/cli-options';
import { DEFAULT_THROUGHPUT, engineSettings, latencyMetrics, measureLatency, measureThroughput, throughputMetrics } from './lib/engine-phases';
import { describeMachine, machineRows } from './lib/machine';
import { round, saveReport, type Metric } from './lib/results';
import { cpuPerRequest, sampleCpu } from './lib/process-cpu';
import { formatTable } from './lib/table';
import { measureVectorSearch } from './lib/vector-search-phases';
import { withWebhookApi, type WebhookApi } from './lib/webhook-api';
import { ingestGraph, MAX_IN_FLIGHT, offerAndDrain, phaseMetrics, warmUp, type PhaseResult, type ResponseMode } from './lib/webhook-ingest';

/**
 * `npm run bench`: every benchmark in one go, one table, one JSON file (bench/results/bench-<start time>.json).
 *
 *   engine latency   Start → 10 Set → End started over REST with wait, 3 warm-up then 20 timed runs one at a time
 *                    (as `npm run bench:engine`)
 *   throughput       100 runs of Start → 3 Set → End (five nodes) started together
 *   webhook ingest   Webhook → End through the real API process, offered open-loop at --webhook-rate deliveries/s
 *                    for --webhook-seconds, first in async mode (answer: 202 once the run exists), then in sync
 *                    mode (answer: the End node's output, so the whole run is inside the latency)
 *   vector search    5,000 chunks × 384 dims in PGlite + pgvector (HNSW): search p50/p99 and recall@10 against
 *                    exact search (bench/lib/vector-search-phases.ts; `npm run bench:vectors` runs the full 20,000)
 *
 * Every phase also reports the CPU time each process (Temporal server, API, database, this process with the worker
 * and the load generator) spent per run or delivery, sampled from /proc before and after it (bench/lib/process-cpu.ts).
 *
 * The single benchmarks keep their own scripts (bench:engine, bench:webhooks) for a closer look at one of them.
 * See bench/README.md for what the figures mean and how to compare a change.
 */

interface Options {
  webhookRate: number;
  webhookSeconds: number;
}

const WEBHOOK_WARMUP_DELIVERIES = 30;
const VECTOR_CHUNKS = 5_000;
const VECTOR_QUERIES = 100;

function parseOptions(args: string[]): Options {
  const { values } = parseArgs({
    args,
    options: { 'webhook-rate': { type: 'string', default: '25' }, 'webhook-seconds': { type: 'string', default: '10' } },
    strict: true,
    allowPositionals: false,
  });
  return { webhookRate: positiveInteger('--webhook-rate', values['webhook-rate']), webhookSeconds: positiveInteger('--webhook-seconds', values['webhook-seconds']) };
}

function progress(line: string): void {
  console.error(line);
}

/** Async, then sync, each on its own endpoint after a warm-up; async runs are awaited before sync starts. */
async function measureWebhooks(temporal: BenchTemporal, api: WebhookApi, options: Options): Promise<{ phase: PhaseResult; cpu: Metric[] }[]> {
  const phases: { phase: PhaseResult; cpu: Metric[] }[] = [];
  for (const mode of ['async', 'sync'] as ResponseMode[]) {
    const target = await api.publish(ingestGraph(mode));
    progress(`webhooks, ${mode} mode: ${WEBHOOK_WARMUP_DELIVERIES} warm-up deliveries, then ${options.webhookRate}/s for ${options.webhookSeconds} s`);
    await warmUp(temporal.client, target, mode, WEBHOOK_WARMUP_DELIVERIES);
    const before = sampleCpu();
    const phase = await offerAndDrain(temporal.client, target, mode, options.webhookRate, options.webhookSeconds);
    phases.push({ phase, cpu: cpuPerRequest(`${phase.rate}/s offered`, before, sampleCpu(), phase.deliveries) });
  }
  return phases;
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const startedAt = new Date().toISOString();
  progress('starting a Temporal dev server, an in-process worker, an embedded database and an API process…');
  const measured = await withBenchTemporal((temporal) =>
    withWebhookApi({ temporal }, async (api) => ({
      machine: await describeMachine(temporal.cliPath),
      latency: await measureLatency(api, progress),
      throughput: await measureThroughput(temporal, DEFAULT_THROUGHPUT, progress),
      webhookPhases: await measureWebhooks(temporal, api, options),
    })),
  );
  progress(`vector search: loading ${VECTOR_CHUNKS} chunks into PGlite + pgvector…`);
  const vectorMetrics = (await measureVectorSearch(VECTOR_CHUNKS, VECTOR_QUERIES, () => undefined)).metrics;

  const sections: [string, Metric[]][] = [
    ['engine', latencyMetrics(measured.latency)],
    ['engine', throughputMetrics(DEFAULT_THROUGHPUT, measured.throughput)],
    ...measured.webhookPhases.map(({ phase, cpu }): [string, Metric[]] => [`webhooks ${phase.mode}`, [...phaseMetrics(`${phase.rate}/s offered`, phase), ...cpu]]),
    ['vector search', vectorMetrics],
  ];
  // Section names are part of the metric names in the file, so bench/compare.ts matches like with like.
  const metrics = sections.flatMap(([section, rows]) => rows.map((row) => ({ ...row, metric: `${section} · ${row.metric}` })));

  console.log(formatTable(['machine', ''], [...machineRows(measured.machine), ['database', 'embedded PGlite']]));
  console.log();
  console.log(formatTable(['metric', 'value', 'unit'], metrics.map((m) => [m.metric, m.value, m.unit])));

  const file = await saveReport({
    benchmark: 'bench',
    startedAt,
    machine: measured.machine,
    settings: { ...engineSettings(DEFAULT_THROUGHPUT), webhooks: { ...options, warmupDeliveries: WEBHOOK_WARMUP_DELIVERIES, maxInFlight: MAX_IN_FLIGHT, database: 'embedded' }, vectors: { chunks: VECTOR_CHUNKS, queries: VECTOR_QUERIES } },
    metrics,
    samples: {
      latencyMs: measured.latency.samples.map((ms) => round(ms, 3)),
      ...Object.fromEntries(measured.webhookPhases.map(({ phase }) => [`webhook${phase.mode === 'async' ? 'Async' : 'Sync'}Ms`, phase.latencyMs.map((ms) => round(ms, 3))])),
    },
  });
  console.log(`\nsaved ${file}`);
}

main().catch((error: unknown) => {
  console.error('benchmark failed:', error);
  process.exit(1);
});
