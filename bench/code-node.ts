import { parseArgs } from 'node:util';
import { ensureTemporalCli } from '../platform/temporal-cli';
import { positiveInteger } from './lib/cli-options';
import { CODE_WARMUP_CALLS, measureCodeNode } from './lib/code-node-phases';
import { describeMachine, machineRows } from './lib/machine';
import { saveReport } from './lib/results';
import { formatTable } from './lib/table';

/**
 * The Code node's per-call overhead (bench/lib/code-node-phases.ts), on its own:
 *
 *   npm run bench:code                    # 200 calls after 20 warm-up calls
 *   npm run bench:code -- --calls 1000
 */
async function main(): Promise<void> {
  const { values } = parseArgs({ options: { calls: { type: 'string', default: '200' } } });
  const calls = positiveInteger('--calls', values.calls);
  const startedAt = new Date().toISOString();
  const machine = await describeMachine(await ensureTemporalCli());
  const { metrics, perCallMs } = await measureCodeNode(calls);
  console.log(formatTable(['machine', ''], machineRows(machine)));
  console.log();
  console.log(formatTable(['Code node', 'value', 'unit'], metrics.map((m) => [m.metric, m.value, m.unit])));
  const file = await saveReport({ benchmark: 'code-node', startedAt, machine, settings: { calls, warmupCalls: CODE_WARMUP_CALLS }, metrics, samples: { perCallMs } });
  console.log(`\nsaved ${file}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
