import { startRun } from '../../platform/start-run';
import type { BenchTemporal } from './bench-temporal';
import { runPooled } from './pool';
import { round, type Metric } from './results';
import { setChain, type SetChain } from './set-chain';
import { summarize } from './stats';

/**
 * The engine's two figures: how long one run of a chain of Set nodes takes end to end, and how many small runs the
 * engine completes per second when they arrive together. See bench/README.md.
 */

export const LATENCY_CHAIN_LENGTH = 10;
export const LATENCY_RUNS = 20;
export const WARMUP_RUNS = 3;
/** Start → 3 Set → End: five nodes. */
export const THROUGHPUT_CHAIN_LENGTH = 3;

export interface ThroughputOptions {
  runs: number;
  concurrency: number;
}

export const DEFAULT_THROUGHPUT: ThroughputOptions = { runs: 100, concurrency: 100 };

/** Milliseconds from asking for the run (planning included) to holding its checked result. */
async function timeOneRun(temporal: BenchTemporal, chain: SetChain, seed: string): Promise<number> {
  const started = performance.now();
  const handle = await startRun(temporal.client, { graph: chain.graph, inputs: chain.inputs(seed), meta: { trigger: 'cli' }, taskQueue: temporal.taskQueue });
  const result = await handle.result();
  const elapsed = performance.now() - started;
  chain.check(result, seed);
  return elapsed;
}

export async function measureLatency(temporal: BenchTemporal, progress: (line: string) => void): Promise<number[]> {
  const chain = setChain(LATENCY_CHAIN_LENGTH);
  progress(`latency: ${WARMUP_RUNS} warm-up runs, then ${LATENCY_RUNS} timed runs of Start → ${LATENCY_CHAIN_LENGTH} Set → End, one at a time`);
  for (let i = 0; i < WARMUP_RUNS; i++) await timeOneRun(temporal, chain, `warmup-${i}`);
  const samples: number[] = [];
  for (let i = 0; i < LATENCY_RUNS; i++) samples.push(await timeOneRun(temporal, chain, `latency-${i}`));
  return samples;
}

/** Wall time in milliseconds from the first start until the last result has arrived and been checked. */
export async function measureThroughput(temporal: BenchTemporal, options: ThroughputOptions, progress: (line: string) => void): Promise<number> {
  const chain = setChain(THROUGHPUT_CHAIN_LENGTH);
  progress(`throughput: ${options.runs} runs of Start → ${THROUGHPUT_CHAIN_LENGTH} Set → End, ${options.concurrency} at a time`);
  const started = performance.now();
  await runPooled(options.runs, options.concurrency, (i) => timeOneRun(temporal, chain, `throughput-${i}`));
  return performance.now() - started;
}

export function latencyMetrics(samples: number[]): Metric[] {
  const latency = summarize(samples);
  const label = `chain of ${LATENCY_CHAIN_LENGTH} Set, one run`;
  return [
    { metric: `${label}: median`, value: round(latency.median), unit: 'ms' },
    { metric: `${label}: p90`, value: round(latency.p90), unit: 'ms' },
    { metric: `${label}: min`, value: round(latency.min), unit: 'ms' },
    { metric: `${label}: max`, value: round(latency.max), unit: 'ms' },
    { metric: `${label}: timed runs`, value: latency.count, unit: 'runs' },
  ];
}

export function throughputMetrics(options: ThroughputOptions, wallMs: number): Metric[] {
  const label = `${options.runs} runs of ${THROUGHPUT_CHAIN_LENGTH} Set, ${options.concurrency} at a time`;
  return [
    { metric: `${label}: wall time`, value: round(wallMs), unit: 'ms' },
    { metric: `${label}: throughput`, value: round(options.runs / (wallMs / 1000)), unit: 'runs/s' },
  ];
}

export const engineSettings = (throughput: ThroughputOptions) => ({
  latency: { chainLength: LATENCY_CHAIN_LENGTH, warmupRuns: WARMUP_RUNS, timedRuns: LATENCY_RUNS },
  throughput: { chainLength: THROUGHPUT_CHAIN_LENGTH, ...throughput },
});
