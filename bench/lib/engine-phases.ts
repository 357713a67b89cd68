import { startRun } from '../../platform/start-run';
import type { BenchTemporal } from './bench-temporal';
import { runPooled } from './pool';
import { cpuPerRequest, sampleCpu } from './process-cpu';
import { round, type Metric } from './results';
import { setChain, transformChain, type SetChain } from './set-chain';
import { summarize } from './stats';
import type { WebhookApi } from './webhook-api';

/**
 * The engine's two figures: how long one run of a chain of Set nodes takes end to end when a REST client starts it
 * and waits for its result (and of Transform nodes, whose expressions are computed by the workflow as a Set is), and
 * how many small runs the engine completes per second when they arrive together; each with the CPU time every
 * process spent per run. See bench/README.md.
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

/** A phase's raw figures, and what each process's CPU cost per run. */
export interface LatencyPhase {
  label: string;
  samples: number[];
  cpu: Metric[];
}

export interface ThroughputPhase {
  wallMs: number;
  cpu: Metric[];
}

/** The chains a latency phase can time: Set nodes, or Transform nodes evaluating one JSONata expression each. */
const LATENCY_CHAINS = { Set: setChain, Transform: transformChain };
export type LatencyChainNode = keyof typeof LATENCY_CHAINS;

export const latencyLabel = (nodeType: LatencyChainNode) => `chain of ${LATENCY_CHAIN_LENGTH} ${nodeType}, REST start with wait → result`;
export const LATENCY_LABEL = latencyLabel('Set');

/** Milliseconds from the REST request (planning, the run's row and its start included) to holding the checked result. */
/** What a latency phase needs of the API: publishing a graph and a REST start with wait. */
export type RestRunner = Pick<WebhookApi, 'publishWorkflow' | 'runAndWait'>;

async function timeOneRestRun(api: RestRunner, workflowId: string, chain: SetChain, seed: string): Promise<number> {
  const started = performance.now();
  const run = await api.runAndWait(workflowId, chain.inputs(seed));
  const elapsed = performance.now() - started;
  chain.check(run.result, seed);
  return elapsed;
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

/** `loadRole` names this process in the CPU rows when it is only the load generator (the worker runs elsewhere). */
export async function measureLatency(api: RestRunner, progress: (line: string) => void, loadRole?: string, nodeType: LatencyChainNode = 'Set'): Promise<LatencyPhase> {
  const chain = LATENCY_CHAINS[nodeType](LATENCY_CHAIN_LENGTH);
  const label = latencyLabel(nodeType);
  const workflowId = await api.publishWorkflow(chain.graph);
  progress(`latency: ${WARMUP_RUNS} warm-up runs, then ${LATENCY_RUNS} timed runs of Start → ${LATENCY_CHAIN_LENGTH} ${nodeType} → End over REST with wait, one at a time`);
  for (let i = 0; i < WARMUP_RUNS; i++) await timeOneRestRun(api, workflowId, chain, `warmup-${i}`);
  const samples: number[] = [];
  const before = sampleCpu(loadRole);
  for (let i = 0; i < LATENCY_RUNS; i++) samples.push(await timeOneRestRun(api, workflowId, chain, `latency-${i}`));
  return { label, samples, cpu: cpuPerRequest(label, before, sampleCpu(loadRole), LATENCY_RUNS, loadRole) };
}

/** Wall time in milliseconds from the first start until the last result has arrived and been checked. */
export async function measureThroughput(temporal: BenchTemporal, options: ThroughputOptions, progress: (line: string) => void): Promise<ThroughputPhase> {
  const chain = setChain(THROUGHPUT_CHAIN_LENGTH);
  progress(`throughput: ${options.runs} runs of Start → ${THROUGHPUT_CHAIN_LENGTH} Set → End, ${options.concurrency} at a time`);
  const before = sampleCpu();
  const started = performance.now();
  await runPooled(options.runs, options.concurrency, (i) => timeOneRun(temporal, chain, `throughput-${i}`));
  const wallMs = performance.now() - started;
  return { wallMs, cpu: cpuPerRequest(throughputLabel(options), before, sampleCpu(), options.runs) };
}

function throughputLabel(options: ThroughputOptions): string {
  return `${options.runs} runs of ${THROUGHPUT_CHAIN_LENGTH} Set, ${options.concurrency} at a time`;
}

export function latencyMetrics(phase: LatencyPhase): Metric[] {
  const latency = summarize(phase.samples);
  const { label } = phase;
  return [
    { metric: `${label}: median`, value: round(latency.median), unit: 'ms' },
    { metric: `${label}: p90`, value: round(latency.p90), unit: 'ms' },
    { metric: `${label}: min`, value: round(latency.min), unit: 'ms' },
    { metric: `${label}: max`, value: round(latency.max), unit: 'ms' },
    { metric: `${label}: timed runs`, value: latency.count, unit: 'runs' },
    ...phase.cpu,
  ];
}

export function throughputMetrics(options: ThroughputOptions, phase: ThroughputPhase): Metric[] {
  const label = throughputLabel(options);
  return [
    { metric: `${label}: wall time`, value: round(phase.wallMs), unit: 'ms' },
    { metric: `${label}: throughput`, value: round(options.runs / (phase.wallMs / 1000)), unit: 'runs/s' },
    ...phase.cpu,
  ];
}

export const engineSettings = (throughput: ThroughputOptions) => ({
  latency: { chainLength: LATENCY_CHAIN_LENGTH, warmupRuns: WARMUP_RUNS, timedRuns: LATENCY_RUNS },
  throughput: { chainLength: THROUGHPUT_CHAIN_LENGTH, ...throughput },
});
