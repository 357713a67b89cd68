import { parseArgs } from 'node:util';
import { ensureTemporalCli } from '../platform/temporal-cli';
import { footprintMetrics, measureStartFootprint } from './footprint/measure-start';
import { positiveInteger } from './lib/cli-options';
import { describeMachine, machineRows } from './lib/machine';
import { saveReport } from './lib/results';
import { formatTable } from './lib/table';

/**
 * `npm run bench:footprint`: `npm start` as a user runs it (fresh data directory, ports of its own): its start-up
 * time, the resident memory of its whole process tree (npm, the server process, the Temporal dev server) after
 * --idle-seconds, and its peak while --concurrency REST starts with `wait` keep it busy for --load-seconds.
 * Writes bench/results/start-footprint-<start time>.json.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { 'idle-seconds': { type: 'string', default: '30' }, 'load-seconds': { type: 'string', default: '20' }, concurrency: { type: 'string', default: '50' } },
    strict: true,
  });
  const options = {
    idleSeconds: positiveInteger('--idle-seconds', values['idle-seconds']),
    loadSeconds: positiveInteger('--load-seconds', values['load-seconds']),
    concurrency: positiveInteger('--concurrency', values.concurrency),
    progress: (line: string) => console.error(line),
  };
  const startedAt = new Date().toISOString();
  const machine = await describeMachine(await ensureTemporalCli());
  const footprint = await measureStartFootprint(options);
  const metrics = footprintMetrics(footprint, options);
  console.log(formatTable(['machine', ''], machineRows(machine)));
  console.log();
  console.log(formatTable(['metric', 'value', 'unit'], metrics.map((m) => [m.metric, m.value, m.unit])));
  const { progress: _progress, ...settings } = options;
  const file = await saveReport({ benchmark: 'start-footprint', startedAt, machine, settings, metrics, samples: {} });
  console.log(`\nsaved ${file}`);
}

main().catch((error: unknown) => {
  console.error('benchmark failed:', error);
  process.exit(1);
});
