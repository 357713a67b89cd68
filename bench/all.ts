import { parseArgs } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { loadConfig } from '../platform/config';
import { ensureTemporalCli } from '../platform/temporal-cli';
import { waitFor } from '../test/wait-for';
import { positiveInteger } from './lib/cli-options';
import { measureCodeNode } from './lib/code-node-phases';
import { latencyMetrics, measureLatency, WARMUP_RUNS } from './lib/engine-phases';
import { measureForEach } from './lib/for-each-phase';
import { describeMachine, machineRows } from './lib/machine';
import { startNpmStart, totalMiB, type NpmStart } from './lib/npm-start';
import { cpuPerRequest, sampleCpu } from './lib/process-cpu';
import { httpChain, restBurst, startTrailServer, type SeededGraph } from './lib/rest-burst';
import { signUpOver, type RestSession } from './lib/rest-session';
import { round, saveReport, type Metric } from './lib/results';
import { setChain } from './lib/set-chain';
import { loadSyncWebhook, syncWebhookGraph, type SyncWebhookLoad } from './lib/sync-webhook-load';
import { targetRows } from './lib/fast-path-targets';
import { formatTable } from './lib/table';
import { measureTimeToFirstToken, MODEL_FIRST_TOKEN_DELAY_MS, startTtftModel, TTFT_RUNS, TTFT_WARMUP_RUNS, ttftSamples, type TtftSample } from './lib/ttft-phase';
import { measureVectorSearch } from './lib/vector-search-phases';

/**
 * `npm run bench`: the fast-path figures of `npm start` as a user runs it (its defaults, a fresh data directory,
 * ports of its own), then vector search; one table, one JSON file (bench/results/bench-<start time>.json).
 *
 *   idle memory      RSS of the whole `npm start` tree after --idle-seconds
 *   chain latency    Start → 10 Set → End over REST with wait, 3 warm-up then 20 timed runs one at a time; the same
 *                    with 10 Transform (one JSONata expression each), to compare expression nodes with pure nodes
 *   bursts           100 REST starts with wait sent at once: Start → 3 Set → End, then Start → 3 HTTP Request (a
 *                    loopback server, allowed by KAI_OUTBOUND_ALLOW) → End
 *   sync webhooks    Webhook (no auth, sync) → 4 Set → End, closed loop with autocannon: 10, then 50 connections for
 *                    --webhook-seconds each; peak RSS of the tree sampled during the 50
 *   for each         a For Each over 1,000 trivial items (Start → Set → End), concurrency 10, REST start with wait:
 *                    median of 3 runs after 1 warm-up
 *   first token      Start → LLM Chat (streaming from a local OpenAI-compatible server) → End, REST start then the
 *                    run's SSE stream: time to the first token, and that less the model's own, over 20 runs
 *   vector search    5,000 chunks × 384 dims in PGlite + pgvector (HNSW): search p50/p99 and recall@10
 *   code node        200 Code node calls after warm-up (fresh QuickJS runtime + a one-line function each): median, p95
 *
 * Every phase reports the CPU time each process spent per run or request (/proc, before and after). Every answer
 * is checked, and at the end every run must be `succeeded` in the runs list and closed in Temporal, or the
 * benchmark fails. See bench/README.md.
 */

interface Options {
  idleSeconds: number;
  webhookSeconds: number;
}

const LOAD_ROLE = 'load generator';
const BURST_RUNS = 100;
const WEBHOOK_CONNECTIONS = [10, 50];
const WEBHOOK_WARMUP_SECONDS = 3;
const SAMPLE_MEMORY_EVERY_MS = 250;
const VECTOR_CHUNKS = 5_000;
const VECTOR_QUERIES = 100;
const CODE_CALLS = 200;

function parseOptions(args: string[]): Options {
  const { values } = parseArgs({
    args,
    options: { 'idle-seconds': { type: 'string', default: '30' }, 'webhook-seconds': { type: 'string', default: '20' } },
    strict: true,
    allowPositionals: false,
  });
  return { idleSeconds: positiveInteger('--idle-seconds', values['idle-seconds']), webhookSeconds: positiveInteger('--webhook-seconds', values['webhook-seconds']) };
}

function progress(line: string): void {
  console.error(line);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** What one phase left behind to check at the end: a workflow and how many succeeded runs it must have. */
interface Expectation {
  workflowId: string;
  atLeast: number;
  atMost: number;
}

async function measureBurst(session: RestSession, name: string, seeded: SeededGraph, expectations: Expectation[]): Promise<Metric[]> {
  const workflowId = await session.publishWorkflow(seeded.graph);
  for (let i = 0; i < WARMUP_RUNS; i++) await session.runAndWait(workflowId, seeded.inputs(`warmup-${i}`));
  progress(`burst: ${BURST_RUNS} REST starts with wait of ${name}, all at once`);
  const before = sampleCpu(LOAD_ROLE);
  const wallMs = await restBurst(session, workflowId, seeded, BURST_RUNS);
  const label = `${BURST_RUNS} runs of ${name}, all at once`;
  expectations.push({ workflowId, atLeast: BURST_RUNS + WARMUP_RUNS, atMost: BURST_RUNS + WARMUP_RUNS });
  return [
    { metric: `${label}: wall time`, value: round(wallMs), unit: 'ms' },
    { metric: `${label}: throughput`, value: round(BURST_RUNS / (wallMs / 1000)), unit: 'runs/s' },
    ...cpuPerRequest(label, before, sampleCpu(LOAD_ROLE), BURST_RUNS, LOAD_ROLE),
  ];
}

function loadMetrics(load: SyncWebhookLoad): Metric[] {
  const label = `sync webhook, ${load.connections} connections × ${load.seconds} s`;
  return [
    { metric: `${label}: answered`, value: round(load.requestsPerSecond), unit: 'req/s' },
    { metric: `${label}: p50`, value: round(load.p50Ms), unit: 'ms' },
    { metric: `${label}: p99`, value: round(load.p99Ms), unit: 'ms' },
    { metric: `${label}: max`, value: round(load.maxMs), unit: 'ms' },
    { metric: `${label}: errors`, value: load.errors, unit: 'requests' },
  ];
}

/** The tree's memory at its largest, by part. */
type MemoryByPart = Record<string, number>;

async function measureWebhooks(started: NpmStart, session: RestSession, options: Options, expectations: Expectation[]): Promise<{ metrics: Metric[]; peak: MemoryByPart }> {
  const workflowId = await session.publishWorkflow(syncWebhookGraph());
  const [hook] = await session.webhooks(workflowId);
  progress(`sync webhooks: ${WEBHOOK_WARMUP_SECONDS} s warm-up at 10 connections`);
  const warmUp = await loadSyncWebhook(hook.url, 10, WEBHOOK_WARMUP_SECONDS);
  let answered = warmUp.answered;
  let cutOff = 10;
  const metrics: Metric[] = [];
  let peak: MemoryByPart = {};
  const sampleMemory = () => {
    const now = started.treeMiB();
    if (totalMiB(now) > totalMiB(peak)) peak = now;
  };
  for (const connections of WEBHOOK_CONNECTIONS) {
    progress(`sync webhooks: ${connections} connections for ${options.webhookSeconds} s`);
    const sampler = setInterval(sampleMemory, SAMPLE_MEMORY_EVERY_MS);
    const before = sampleCpu(LOAD_ROLE);
    const load = await loadSyncWebhook(hook.url, connections, options.webhookSeconds).finally(() => clearInterval(sampler));
    if (load.errors > 0) throw new Error(`${load.errors} sync webhook deliveries failed at ${connections} connections; the first: ${load.firstError}`);
    metrics.push(...loadMetrics(load), ...cpuPerRequest(`sync webhook, ${connections} connections`, before, sampleCpu(LOAD_ROLE), load.answered, LOAD_ROLE));
    answered += load.answered;
    // autocannon hangs up on the deliveries in flight when its time is up; their runs still finish.
    cutOff += connections;
  }
  expectations.push({ workflowId, atLeast: answered, atMost: answered + cutOff });
  return { metrics, peak };
}

/**
 * Every run is in the runs list as succeeded, and Temporal holds exactly as many closed executions of it. Waits for
 * both to settle: a delivery autocannon hung up on may still be between its start and its row when the load ends.
 */
async function checkEveryRun(started: NpmStart, session: RestSession, expectations: Expectation[]): Promise<void> {
  const connection = await Connection.connect({ address: started.temporalAddress });
  try {
    const client = new Client({ connection, namespace: loadConfig().temporal.namespace });
    for (const { workflowId, atLeast, atMost } of expectations) {
      let listed: Record<string, number> = {};
      let inTemporal = { all: 0, completed: 0 };
      const settled = async () => {
        listed = await session.countRuns(workflowId);
        const query = `KaiWorkflowId = "${workflowId}"`;
        inTemporal = { all: (await client.workflow.count(query)).count, completed: (await client.workflow.count(`${query} AND ExecutionStatus = "Completed"`)).count };
        const total = Object.values(listed).reduce((sum, count) => sum + count, 0);
        return (listed.running ?? 0) === 0 && inTemporal.all === inTemporal.completed && total === inTemporal.all;
      };
      await waitFor(`the runs of workflow ${workflowId} to be finished in Temporal and listed`, settled, 60_000).catch((error: unknown) => {
        throw new Error(`${error instanceof Error ? error.message : String(error)}: runs listed ${JSON.stringify(listed)}, in Temporal ${JSON.stringify(inTemporal)}`);
      });
      const succeeded = listed.succeeded ?? 0;
      if (succeeded !== inTemporal.all || succeeded < atLeast || succeeded > atMost) {
        throw new Error(`workflow ${workflowId}: runs listed ${JSON.stringify(listed)}, expected between ${atLeast} and ${atMost}, all succeeded`);
      }
    }
  } finally {
    await connection.close();
  }
}

async function measureNpmStart(options: Options): Promise<{ metrics: Metric[]; latencyMs: number[]; transformLatencyMs: number[]; ttft: TtftSample[] }> {
  const fixture = await startTrailServer();
  const model = await startTtftModel();
  progress('starting `npm start` (fresh data directory, its defaults, KAI_OUTBOUND_ALLOW=127.0.0.1 for the HTTP Request burst and the local model)…');
  const started = await startNpmStart({ env: { KAI_OUTBOUND_ALLOW: '127.0.0.1' }, progress });
  try {
    progress(`npm start came up in ${(started.startupMs / 1000).toFixed(1)} s; idling ${options.idleSeconds} s`);
    await sleep(options.idleSeconds * 1000);
    const idle = started.treeMiB();
    const session = await signUpOver(started.origin);
    const expectations: Expectation[] = [];
    const latency = await measureLatency(session, progress, LOAD_ROLE);
    const transformLatency = await measureLatency(session, progress, LOAD_ROLE, 'Transform');
    const setBurst = await measureBurst(session, 'Start → 3 Set → End', setChain(3), expectations);
    const httpBurst = await measureBurst(session, 'Start → 3 HTTP Request → End', httpChain(fixture.url), expectations);
    const webhooks = await measureWebhooks(started, session, options, expectations);
    const forEach = await measureForEach(session, progress);
    expectations.push({ workflowId: forEach.workflowId, atLeast: forEach.runs, atMost: forEach.runs });
    const ttft = await measureTimeToFirstToken(session, model, progress);
    expectations.push({ workflowId: ttft.workflowId, atLeast: ttft.runs, atMost: ttft.runs });
    progress('checking that every run is listed as succeeded and completed in Temporal…');
    await checkEveryRun(started, session, expectations);
    return {
      latencyMs: latency.samples.map((ms) => round(ms, 3)),
      transformLatencyMs: transformLatency.samples.map((ms) => round(ms, 3)),
      ttft: ttft.samples,
      metrics: [
        { metric: 'npm start: start-up to banner', value: round(started.startupMs / 1000, 1), unit: 's' },
        ...Object.entries(idle).map(([part, mib]) => ({ metric: `npm start: idle RSS, ${part}`, value: round(mib, 0), unit: 'MiB' })),
        { metric: 'npm start: idle RSS, whole tree', value: round(totalMiB(idle), 0), unit: 'MiB' },
        ...Object.entries(webhooks.peak).map(([part, mib]) => ({ metric: `npm start: RSS at the peak of the sync webhook load, ${part}`, value: round(mib, 0), unit: 'MiB' })),
        { metric: 'npm start: peak RSS, whole tree, during the sync webhook load', value: round(totalMiB(webhooks.peak), 0), unit: 'MiB' },
        ...[...latencyMetrics(latency), ...latencyMetrics(transformLatency)].map((row) => ({ ...row, metric: `engine · ${row.metric}` })),
        ...[...setBurst, ...httpBurst].map((row) => ({ ...row, metric: `engine · ${row.metric}` })),
        ...webhooks.metrics.map((row) => ({ ...row, metric: `webhooks · ${row.metric}` })),
        ...forEach.metrics.map((row) => ({ ...row, metric: `engine · ${row.metric}` })),
        ...ttft.metrics.map((row) => ({ ...row, metric: `llm · ${row.metric}` })),
      ],
    };
  } finally {
    await started.stop();
    await Promise.all([fixture.close(), model.close()]);
  }
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const startedAt = new Date().toISOString();
  const machine = await describeMachine(await ensureTemporalCli());
  const { metrics: startMetrics, latencyMs, transformLatencyMs, ttft } = await measureNpmStart(options);
  progress(`vector search: loading ${VECTOR_CHUNKS} chunks into PGlite + pgvector…`);
  const vectorMetrics = (await measureVectorSearch(VECTOR_CHUNKS, VECTOR_QUERIES, () => undefined)).metrics.map((row) => ({ ...row, metric: `vector search · ${row.metric}` }));
  progress(`code node: ${CODE_CALLS} calls`);
  const codeMetrics = (await measureCodeNode(CODE_CALLS)).metrics.map((row) => ({ ...row, metric: `code node · ${row.metric}` }));
  const metrics = [...startMetrics, ...vectorMetrics, ...codeMetrics];

  console.log(formatTable(['machine', ''], [...machineRows(machine), ['service', '`npm start` defaults (embedded PGlite, Temporal dev server)']]));
  console.log();
  console.log(formatTable(['metric', 'value', 'unit'], metrics.map((m) => [m.metric, m.value, m.unit])));
  console.log();
  console.log(formatTable(['target (issues 13, 14, 16)', 'measured', 'target', ''], targetRows(metrics)));
  const file = await saveReport({
    benchmark: 'bench',
    startedAt,
    machine,
    settings: { ...options, burstRuns: BURST_RUNS, webhookConnections: WEBHOOK_CONNECTIONS, vectors: { chunks: VECTOR_CHUNKS, queries: VECTOR_QUERIES }, codeCalls: CODE_CALLS, ttft: { runs: TTFT_RUNS, warmUpRuns: TTFT_WARMUP_RUNS, modelFirstTokenDelayMs: MODEL_FIRST_TOKEN_DELAY_MS } },
    metrics,
    samples: { latencyMs, transformLatencyMs, ...ttftSamples(ttft) },
  });
  console.log(`\nsaved ${file}`);
}

main().catch((error: unknown) => {
  console.error('benchmark failed:', error);
  process.exit(1);
});
