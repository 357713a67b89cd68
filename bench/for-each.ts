import { spawnEmbeddedPostgres } from '../db/embedded-postgres-process';
import { migrateToLatest, openDatabase } from '../db/orm';
import { DbWorkflowPlanSource } from '../db/workflow-plan-source';
import { withBenchTemporal } from './lib/bench-temporal';
import { measureForEach } from './lib/for-each-phase';
import { describeMachine, machineRows } from './lib/machine';
import { saveReport } from './lib/results';
import { formatTable } from './lib/table';
import { withWebhookApi } from './lib/webhook-api';

/**
 * The For Each benchmark alone (`npm run bench:foreach`): a For Each over 1,000 trivial items with concurrency 10,
 * started over REST with wait, against a dev server, an in-process worker that plans the called workflow from the
 * same embedded database, and the real API process. The bound is 5 s.
 */
function progress(line: string): void {
  console.error(line);
}

async function main(): Promise<void> {
  const startedAt = new Date().toISOString();
  progress('starting an embedded database, a Temporal dev server, an in-process worker and an API process…');
  const database = await spawnEmbeddedPostgres({ dir: 'memory://', port: 0 });
  const orm = await openDatabase(database.url);
  try {
    await migrateToLatest(orm);
    const services = { workflows: new DbWorkflowPlanSource(orm.em) };
    const { machine, loop } = await withBenchTemporal(
      async (temporal) => ({
        machine: await describeMachine(temporal.cliPath),
        loop: await withWebhookApi({ temporal, databaseUrl: database.url }, (api) => measureForEach(api, progress)),
      }),
      services,
    );
    console.log(formatTable(['machine', ''], machineRows(machine)));
    console.log();
    console.log(formatTable(['metric', 'value', 'unit'], loop.metrics.map((m) => [m.metric, m.value, m.unit])));
    const file = await saveReport({ benchmark: 'for-each', startedAt, machine, settings: {}, metrics: loop.metrics, samples: {} });
    console.log(`\nsaved ${file}`);
  } finally {
    await orm.close();
    await database.stop();
  }
}

main().catch((error: unknown) => {
  console.error('benchmark failed:', error);
  process.exit(1);
});
