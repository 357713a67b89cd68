import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { createTestDatabase } from '../db/test-database';
import { ensureTemporalCli } from '../platform/temporal-cli';
import { ensureTemporalServerTools } from '../platform/temporal-server';
import { startPostgresTemporalServer } from '../test/temporal-postgres-server';
import { bundleWorkflows } from '../worker/bundle-workflows';
import type { ChaosOutcome } from './chaos/scenario';
import { brokenInvariants } from './chaos/verdict';
import { positiveInteger } from './lib/cli-options';
import { describeMachine, machineRows } from './lib/machine';
import { round, saveReport, type Metric } from './lib/results';
import { formatTable } from './lib/table';
import { Teardown } from './lib/teardown';
import { idempotencyAcrossApis, type IdempotencyOutcome } from './scaleout/idempotency-across-apis';
import { killUnderLoad } from './scaleout/kill-under-load';
import { measureTopology, type ScaleoutEnvironment, type Topology, type TopologyResult } from './scaleout/topology-load';

/**
 * `npm run bench:scaleout`: the production topology on one machine. The Temporal server of docker-compose.yml's
 * version runs on PostgreSQL (16 history shards, test/temporal-postgres-server.ts), the application's database is a
 * fresh PostgreSQL database, and the API and workers are separate processes (api/main.ts, worker/main.ts).
 *
 *   npm run bench:scaleout
 *   npm run bench:scaleout -- --seconds 30 --connections 12 --postgres-url postgres://postgres@127.0.0.1:5432/postgres
 *
 * 1. Throughput: the sync webhook workload (bench/lib/sync-webhook-load.ts) through 1 API + 1 worker, then 2 APIs +
 *    3 workers, its connections spread round-robin over the APIs: req/s, p50/p99, CPU per process, and which worker
 *    ran a sample of the runs.
 * 2. On 2 APIs + 3 workers: every Idempotency-Key delivered to both APIs at once must start one run, and webhook
 *    deliveries spread over both APIs while a worker and then an API are SIGKILLed must lose nothing (runs completed
 *    = runs started, completed I/O nodes re-executed = 0, 2xx without a run = 0; bench/chaos/verdict.ts).
 * Prints the tables, writes bench/results/scaleout-<start time>.json, exits 1 if an invariant broke or a load
 * answer was wrong. Needs Go (the server is built once into .tools/bin) and a PostgreSQL server whose user may
 * create databases; both databases are dropped at the end.
 */

const TOPOLOGIES: Topology[] = [
  { apis: 1, workers: 1 },
  { apis: 2, workers: 3 },
];

interface Options {
  seconds: number;
  connections: number;
  postgresUrl: string;
  shards: number;
}

function parseOptions(args: string[]): Options {
  const { values } = parseArgs({
    args,
    options: {
      seconds: { type: 'string', default: '20' },
      connections: { type: 'string', default: '12' },
      'postgres-url': { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/postgres' },
      shards: { type: 'string', default: '16' },
    },
    strict: true,
    allowPositionals: false,
  });
  return {
    seconds: positiveInteger('--seconds', values.seconds),
    connections: positiveInteger('--connections', values.connections),
    postgresUrl: values['postgres-url'],
    shards: positiveInteger('--shards', values.shards),
  };
}

const progress = (line: string) => console.error(line);
const label = ({ apis, workers }: Topology) => `${apis} API${apis > 1 ? 's' : ''} + ${workers} worker${workers > 1 ? 's' : ''}`;

interface Findings {
  results: TopologyResult[];
  idempotency: IdempotencyOutcome;
  chaos: ChaosOutcome;
}

async function measure(env: ScaleoutEnvironment, options: Options): Promise<Findings> {
  const results: TopologyResult[] = [];
  for (const topology of TOPOLOGIES) {
    progress(`${label(topology)}: ${options.connections} connections for ${options.seconds} s (after a warm-up)`);
    results.push(await measureTopology(env, topology, options.connections, options.seconds));
    if (topology !== TOPOLOGIES[TOPOLOGIES.length - 1]) await results[results.length - 1].cluster.stop();
  }
  const scaled = results[results.length - 1].cluster;
  progress('the same Idempotency-Key to both APIs at once');
  const idempotency = await idempotencyAcrossApis(env.client, await scaled.publish(idempotencyGraph()));
  const chaos = await killUnderLoad(env.client, scaled, env.teardown, progress);
  await scaled.stop();
  return { results, idempotency, chaos };
}

/** Webhook (token, async) → End: the answer names the run at once. */
function idempotencyGraph() {
  return {
    nodes: [
      { id: 'hook', type: 'webhook', version: 1, data: { config: { authMode: 'token', rateLimitPerMinute: 100_000 } } },
      { id: 'end', type: 'end', version: 1 },
    ],
    edges: [{ id: 'hook-end', source: 'hook', target: 'end' }],
  };
}

function print(findings: Findings): { metrics: Metric[]; broken: string[] } {
  const { results, idempotency, chaos } = findings;
  console.log(formatTable(['topology', 'req/s', 'p50 ms', 'p99 ms', 'max ms', 'answers', 'errors'], results.map(({ topology, load }) => [label(topology), round(load.requestsPerSecond), load.p50Ms, load.p99Ms, load.maxMs, load.answered, load.errors])));
  console.log();
  console.log(formatTable(['topology', 'process', 'CPU % of a core', 'CPU ms per request'], results.flatMap(({ topology, cpu, wallMs, load }) => cpu.map(({ process, cpuMs }) => [label(topology), process, round((cpuMs / wallMs) * 100), round(cpuMs / Math.max(1, load.answered), 2)]))));
  console.log();
  console.log(formatTable(['topology', 'worker', 'runs of a sample'], results.flatMap(({ topology, distribution }) => distribution.map(({ worker, runs }) => [label(topology), worker, runs]))));
  console.log();
  const deliveries = chaos.deliveries;
  console.log(formatTable(['invariant (2 APIs + 3 workers)', 'value'], [
    ['same key to both APIs: keys / deliveries / runs', `${idempotency.keys} / ${idempotency.deliveries} / ${idempotency.runs}`],
    ['worker + API killed: runs completed / started', `${chaos.runsCompleted} / ${chaos.runsStarted}`],
    ['completed I/O nodes re-executed', `${chaos.completedNodesReexecuted.length} (of ${chaos.completedNodes})`],
    ['2xx without a run', String(deliveries?.answeredWithoutRun.length ?? 0)],
    ['deliveries re-sent / never accepted', `${deliveries?.resent ?? 0} / ${deliveries?.neverAccepted ?? 0}`],
  ]));
  const broken = [
    ...brokenInvariants(chaos),
    ...(idempotency.runs !== idempotency.keys || idempotency.disagreeing.length > 0 ? [`idempotency: ${idempotency.keys} keys started ${idempotency.runs} runs; disagreeing answers for ${idempotency.disagreeing.join(', ') || 'none'}`] : []),
    ...(idempotency.missing.length > 0 ? [`idempotency: answered runs Temporal lacks: ${idempotency.missing.join(', ')}`] : []),
    ...results.filter(({ load }) => load.errors > 0).map(({ topology, load }) => `${label(topology)}: ${load.errors} wrong answers, first: ${load.firstError}`),
  ];
  const metrics: Metric[] = results.flatMap(({ topology, load }) => [
    { metric: `${label(topology)}: requests per second`, value: round(load.requestsPerSecond), unit: 'req/s' },
    { metric: `${label(topology)}: p50 latency`, value: load.p50Ms, unit: 'ms' },
    { metric: `${label(topology)}: p99 latency`, value: load.p99Ms, unit: 'ms' },
  ]);
  return { metrics, broken };
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const startedAt = new Date().toISOString();
  const teardown = new Teardown();
  try {
    const cliPath = await ensureTemporalCli();
    const tools = await ensureTemporalServerTools(progress);
    const dir = await mkdtemp(path.join(tmpdir(), 'kai-scaleout-'));
    teardown.add(() => rm(dir, { recursive: true, force: true }));
    progress(`starting the Temporal server ${tools.tag} on PostgreSQL (${options.shards} shards) and a fresh application database…`);
    const [server, bundlePath, database] = await Promise.all([
      startPostgresTemporalServer({ tools, cliPath, postgresUrl: options.postgresUrl, logFile: path.join(dir, 'temporal-server.log'), numHistoryShards: options.shards }),
      bundleWorkflows(path.join(dir, 'workflow-bundle.js')),
      createTestDatabase(options.postgresUrl),
    ]);
    teardown.add(() => server.stop());
    teardown.add(() => database.close());
    const connection = await Connection.connect({ address: server.address });
    teardown.add(() => connection.close());
    const env: ScaleoutEnvironment = {
      client: new Client({ connection }),
      temporalAddress: server.address,
      temporalPid: server.process.pid as number,
      databaseUrl: database.url,
      orm: database.orm,
      bundlePath,
      dir,
      teardown,
    };
    const machine = await describeMachine(cliPath);
    const findings = await measure(env, options);
    console.log(formatTable(['machine', ''], [...machineRows(machine), ['Temporal', `server ${tools.tag} on PostgreSQL, ${options.shards} history shards`]]));
    console.log();
    const { metrics, broken } = print(findings);
    const file = await saveReport({ benchmark: 'scaleout', startedAt, machine, settings: { ...options, postgresUrl: 'given' }, metrics, samples: {}, details: { broken, chaosNotes: findings.chaos.notes } });
    console.log(`\nsaved ${file}`);
    if (broken.length > 0) {
      console.error(`\nbroken:\n- ${broken.join('\n- ')}`);
      process.exitCode = 1;
    }
  } finally {
    const errors = await teardown.run();
    if (errors.length > 0) console.error('teardown failed:', ...errors);
  }
}

main().catch((error: unknown) => {
  console.error('benchmark failed:', error);
  process.exit(1);
});
