import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ensureTemporalCli } from '../platform/temporal-cli';
import { bundleWorkflows } from '../worker/bundle-workflows';
import { apiKill } from './chaos/api-kill';
import type { ChaosOutcome, ChaosScenario } from './chaos/scenario';
import { temporalRestart } from './chaos/temporal-restart';
import { brokenInvariants } from './chaos/verdict';
import { workerKill } from './chaos/worker-kill';
import { describeMachine, machineRows } from './lib/machine';
import { saveReport, type Metric } from './lib/results';
import { formatTable } from './lib/table';
import { Teardown } from './lib/teardown';

/**
 * `npm run chaos`: faults injected into a running installation, on loopback, each scenario with its own dev server,
 * processes and deadline. Prints one table (and writes bench/results/chaos-<start time>.json); exits 1 if any
 * scenario broke an invariant (a run lost, a node completed before the fault executed again, a 2xx answer naming no
 * run) or did not finish within its deadline. See bench/README.md.
 *
 *   npm run chaos
 *   npm run chaos -- --only worker-kill,api-kill
 */

const SCENARIOS: ChaosScenario[] = [workerKill, temporalRestart, apiKill];

interface ScenarioReport {
  scenario: ChaosScenario;
  seconds: number;
  outcome?: ChaosOutcome;
  /** Why the scenario did not finish: an error, or its deadline. */
  failure?: string;
  broken: string[];
}

function parseOptions(args: string[]): ChaosScenario[] {
  const { values } = parseArgs({ args, options: { only: { type: 'string' } }, strict: true, allowPositionals: false });
  if (values.only === undefined) return SCENARIOS;
  return values.only.split(',').map((name) => {
    const scenario = SCENARIOS.find((candidate) => candidate.name === name);
    if (!scenario) throw new RangeError(`--only: no scenario "${name}"; there are ${SCENARIOS.map((s) => s.name).join(', ')}`);
    return scenario;
  });
}

function progress(line: string): void {
  console.error(line);
}

class DeadlineExceeded extends Error {}

/** Rejects once `ms` have passed; the work goes on in the background until the runner's teardown stops its parts. */
async function withinDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineExceeded(`deadline of ${ms / 1000} s exceeded`)), ms);
  });
  try {
    return await Promise.race([work, expired]);
  } finally {
    clearTimeout(timer);
    // Torn down under it, abandoned work fails later; that failure is already reported as the deadline.
    work.catch(() => undefined);
  }
}

async function runScenario(scenario: ChaosScenario, shared: { cliPath: string; bundlePath: string; dir: string }): Promise<ScenarioReport> {
  progress(`\n${scenario.name}: ${scenario.fault} (deadline ${scenario.deadlineMs / 1000} s)`);
  const teardown = new Teardown();
  const started = performance.now();
  const context = { ...shared, dir: path.join(shared.dir, scenario.name), teardown, progress: (line: string) => progress(`  ${line}`) };
  let report: Omit<ScenarioReport, 'seconds'>;
  try {
    const outcome = await withinDeadline(scenario.run(context), scenario.deadlineMs);
    report = { scenario, outcome, broken: brokenInvariants(outcome) };
  } catch (error) {
    const failure = error instanceof Error ? error.message : String(error);
    report = { scenario, failure, broken: [`did not finish: ${failure}`] };
    // The stack of a real failure helps; a deadline's says only where the timer was set.
    if (!(error instanceof DeadlineExceeded)) progress(`  failed: ${error instanceof Error ? (error.stack ?? failure) : failure}`);
  }
  const cleanupErrors = await teardown.run();
  for (const error of cleanupErrors) progress(`  cleanup failed: ${error instanceof Error ? error.message : String(error)}`);
  const seconds = Math.round((performance.now() - started) / 100) / 10;
  progress(`  ${report.broken.length === 0 ? 'ok' : report.broken.join('\n  ')} (${seconds} s)`);
  return { ...report, seconds };
}

function verdictOf({ failure, broken }: ScenarioReport): string {
  if (failure !== undefined) return 'DID NOT FINISH';
  return broken.length === 0 ? 'ok' : 'BROKEN';
}

function tableRow(report: ScenarioReport): (string | number)[] {
  const { scenario, outcome, seconds } = report;
  const deliveries = outcome?.deliveries;
  return [
    scenario.name,
    outcome ? `${outcome.runsCompleted} / ${outcome.runsStarted}` : '—',
    outcome ? `${outcome.completedNodesReexecuted.length} of ${outcome.completedNodes}` : '—',
    outcome ? outcome.otherNodesReexecuted : '—',
    deliveries ? `${deliveries.answeredWithoutRun.length} of ${deliveries.sent}` : 'n/a',
    seconds,
    verdictOf(report),
  ];
}

function metricsOf({ scenario, outcome, seconds }: ScenarioReport): Metric[] {
  const figures: [string, number, string][] = outcome
    ? [
        ['runs started', outcome.runsStarted, 'runs'],
        ['runs completed', outcome.runsCompleted, 'runs'],
        ['nodes completed at the fault', outcome.completedNodes, 'nodes'],
        ['completed nodes re-executed', outcome.completedNodesReexecuted.length, 'nodes'],
        ['interrupted nodes re-executed', outcome.otherNodesReexecuted, 'nodes'],
        ...(outcome.deliveries
          ? ([
              ['deliveries sent', outcome.deliveries.sent, 'deliveries'],
              ['deliveries re-sent', outcome.deliveries.resent, 'deliveries'],
              ['2xx answers without a run', outcome.deliveries.answeredWithoutRun.length, 'deliveries'],
            ] as [string, number, string][])
          : []),
      ]
    : [];
  return [...figures, ['time', seconds, 's'] as [string, number, string]].map(([metric, value, unit]) => ({ metric: `${scenario.name} · ${metric}`, value, unit }));
}

async function main(): Promise<void> {
  const scenarios = parseOptions(process.argv.slice(2));
  const startedAt = new Date().toISOString();
  const dir = await mkdtemp(path.join(tmpdir(), 'kai-chaos-'));
  try {
    const cliPath = await ensureTemporalCli();
    const bundlePath = await bundleWorkflows(path.join(dir, 'workflow-bundle.js'));
    const machine = await describeMachine(cliPath);
    const reports: ScenarioReport[] = [];
    for (const scenario of scenarios) reports.push(await runScenario(scenario, { cliPath, bundlePath, dir }));

    console.log(formatTable(['machine', ''], machineRows(machine)));
    console.log();
    console.log(
      formatTable(
        ['scenario', 'runs completed / started', 'completed nodes re-executed', 'interrupted nodes re-executed', '2xx without a run', 'seconds', 'verdict'],
        reports.map(tableRow),
      ),
    );
    for (const report of reports) {
      console.log(`\n${report.scenario.name} (${report.scenario.fault}): ${[...(report.outcome?.notes ?? []), ...report.broken].join('; ')}`);
    }
    const file = await saveReport({
      benchmark: 'chaos',
      startedAt,
      machine,
      settings: { scenarios: scenarios.map(({ name, fault, deadlineMs }) => ({ name, fault, deadlineMs })) },
      metrics: reports.flatMap(metricsOf),
      samples: {},
      details: Object.fromEntries(reports.map(({ scenario, outcome, failure, broken }) => [scenario.name, { outcome, failure, broken }])),
    });
    console.log(`\nsaved ${file}`);
    const failed = reports.filter((report) => report.broken.length > 0);
    if (failed.length > 0) {
      console.log(`\ninvariants broken in ${failed.map((report) => report.scenario.name).join(', ')}`);
      process.exitCode = 1;
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

main().then(
  // A scenario abandoned at its deadline may hold sockets open; the report is out, so leave now.
  () => process.exit(),
  (error: unknown) => {
    console.error('chaos run failed:', error);
    process.exit(1);
  },
);
