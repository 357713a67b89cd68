import { parseArgs } from 'node:util';
import { startRun } from '../platform/start-run';
import { withBenchTemporal, type BenchTemporal } from './lib/bench-temporal';
import { describeMachine, machineRows } from './lib/machine';
import { runPooled } from './lib/pool';
import { round, saveReport, type Metric } from './lib/results';
import { setChain, type SetChain } from './lib/set-chain';
import { summarize } from './lib/stats';
import { formatTable } from './lib/table';

/**
 * The engine benchmark: how long one run of a chain of Set nodes takes end to end, and how many small runs the
 * engine completes per second when they arrive together. See bench/README.md.
 */

const LATENCY_CHAIN_LENGTH = 10;
const LATENCY_RUNS = 20;
const WARMUP_RUNS = 3;
const THROUGHPUT_CHAIN_LENGTH = 3;

interface ThroughputOptions {
  runs: number;
  concurrency: number;
}

function parseOptions(args: string[]): ThroughputOptions {
  const { values } = parseArgs({
    args,
    options: { runs: { type: 'string', default: '100' }, concurrency: { type: 'string', default: '100' } },
    strict: true,
    allowPositionals: false,
  });
  return { runs: positiveInteger('--runs', values.runs), concurrency: positiveInteger('--concurrency', values.concurrency) };
}

function positiveInteger(flag: string, text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`${flag} must be a positive integer, got "${text}"`);
  return value;
}

/** Milliseconds from asking for the run (planning included) to holding its checked result. */
async function timeOneRun(temporal: BenchTemporal, chain: SetChain, seed: string): Promise<number> {
  const started = performance.now();
  const handle = await startRun(temporal.client, { graph: chain.graph, inputs: chain.inputs(seed), meta: { trigger: 'cli' }, taskQueue: temporal.taskQueue });
  const result = await handle.result();
  const elapsed = performance.now() - started;
  chain.check(result, seed);
  return elapsed;
}

async function measureLatency(temporal: BenchTemporal): Promise<number[]> {
  const chain = setChain(LATENCY_CHAIN_LENGTH);
  progress(`latency: ${WARMUP_RUNS} warm-up runs, then ${LATENCY_RUNS} timed runs of Start → ${LATENCY_CHAIN_LENGTH} Set → End, one at a time`);
  for (let i = 0; i < WARMUP_RUNS; i++) await timeOneRun(temporal, chain, `warmup-${i}`);
  const samples: number[] = [];
  for (let i = 0; i < LATENCY_RUNS; i++) samples.push(await timeOneRun(temporal, chain, `latency-${i}`));
  return samples;
}

async function measureThroughput(temporal: BenchTemporal, options: ThroughputOptions): Promise<number> {
  const chain = setChain(THROUGHPUT_CHAIN_LENGTH);
  progress(`throughput: ${options.runs} runs of Start → ${THROUGHPUT_CHAIN_LENGTH} Set → End, ${options.concurrency} at a time`);
  const started = performance.now();
  await runPooled(options.runs, options.concurrency, (i) => timeOneRun(temporal, chain, `throughput-${i}`));
  return performance.now() - started;
}

function progress(line: string): void {
  console.error(line);
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const startedAt = new Date().toISOString();
  progress('starting a Temporal dev server and an in-process worker…');
  const { machine, latencyMs, throughputWallMs } = await withBenchTemporal(async (temporal) => ({
    machine: await describeMachine(temporal.cliPath),
    latencyMs: await measureLatency(temporal),
    throughputWallMs: await measureThroughput(temporal, options),
  }));

  const latency = summarize(latencyMs);
  const chainLabel = `chain of ${LATENCY_CHAIN_LENGTH} Set, one run`;
  const metrics: Metric[] = [
    { metric: `${chainLabel}: median`, value: round(latency.median), unit: 'ms' },
    { metric: `${chainLabel}: p90`, value: round(latency.p90), unit: 'ms' },
    { metric: `${chainLabel}: min`, value: round(latency.min), unit: 'ms' },
    { metric: `${chainLabel}: max`, value: round(latency.max), unit: 'ms' },
    { metric: `${chainLabel}: timed runs`, value: latency.count, unit: 'runs' },
    { metric: `${options.runs} runs of ${THROUGHPUT_CHAIN_LENGTH} Set, ${options.concurrency} at a time: wall time`, value: round(throughputWallMs), unit: 'ms' },
    { metric: `${options.runs} runs of ${THROUGHPUT_CHAIN_LENGTH} Set, ${options.concurrency} at a time: throughput`, value: round(options.runs / (throughputWallMs / 1000)), unit: 'runs/s' },
  ];

  console.log(formatTable(['machine', ''], machineRows(machine)));
  console.log();
  console.log(formatTable(['metric', 'value', 'unit'], metrics.map((m) => [m.metric, m.value, m.unit])));

  const file = await saveReport({
    benchmark: 'engine',
    startedAt,
    machine,
    settings: {
      latency: { chainLength: LATENCY_CHAIN_LENGTH, warmupRuns: WARMUP_RUNS, timedRuns: LATENCY_RUNS },
      throughput: { chainLength: THROUGHPUT_CHAIN_LENGTH, ...options },
    },
    metrics,
    samples: { latencyMs: latencyMs.map((ms) => round(ms, 3)) },
  });
  console.log(`\nsaved ${file}`);
}

main().catch((error: unknown) => {
  console.error('benchmark failed:', error);
  process.exit(1);
});
