import { ensureTemporalCli } from '../platform/temporal-cli';
import { targetRows } from './lib/fast-path-targets';
import { describeMachine, machineRows } from './lib/machine';
import { startNpmStart } from './lib/npm-start';
import { signUpOver } from './lib/rest-session';
import { saveReport } from './lib/results';
import { formatTable } from './lib/table';
import { measureTimeToFirstToken, MODEL_FIRST_TOKEN_DELAY_MS, startTtftModel, TTFT_RUNS, TTFT_WARMUP_RUNS, ttftSamples } from './lib/ttft-phase';

/**
 * The time-to-first-token benchmark alone (`npm run bench:ttft`): `npm start` on a fresh data directory (with
 * KAI_OUTBOUND_ALLOW=127.0.0.1, so LLM Chat may call the local model server), a Start → LLM Chat → End workflow,
 * and the time from a client's REST start to the first token on the run's SSE stream, less the model's own
 * first-token delay. See bench/README.md.
 */
function progress(line: string): void {
  console.error(line);
}

async function main(): Promise<void> {
  const startedAt = new Date().toISOString();
  const machine = await describeMachine(await ensureTemporalCli());
  const model = await startTtftModel();
  try {
    progress('starting `npm start` (fresh data directory, KAI_OUTBOUND_ALLOW=127.0.0.1 for the local model server)…');
    const started = await startNpmStart({ env: { KAI_OUTBOUND_ALLOW: '127.0.0.1' }, progress });
    try {
      const session = await signUpOver(started.origin);
      const ttft = await measureTimeToFirstToken(session, model, progress);
      const metrics = ttft.metrics.map((row) => ({ ...row, metric: `llm · ${row.metric}` }));
      console.log(formatTable(['machine', ''], [...machineRows(machine), ['service', '`npm start` defaults (embedded PGlite, Temporal dev server)']]));
      console.log();
      console.log(formatTable(['metric', 'value', 'unit'], metrics.map((m) => [m.metric, m.value, m.unit])));
      console.log();
      console.log(formatTable(['target (issue 16)', 'measured', 'target', ''], targetRows(metrics)));
      const file = await saveReport({
        benchmark: 'ttft',
        startedAt,
        machine,
        settings: { runs: TTFT_RUNS, warmUpRuns: TTFT_WARMUP_RUNS, modelFirstTokenDelayMs: MODEL_FIRST_TOKEN_DELAY_MS },
        metrics,
        samples: ttftSamples(ttft.samples),
      });
      console.log(`\nsaved ${file}`);
    } finally {
      await started.stop();
    }
  } finally {
    await model.close();
  }
}

main().catch((error: unknown) => {
  console.error('benchmark failed:', error);
  process.exit(1);
});
