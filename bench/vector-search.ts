import { parseArgs } from 'node:util';
import { ensureTemporalCli } from '../platform/temporal-cli';
import { positiveInteger } from './lib/cli-options';
import { describeMachine, machineRows } from './lib/machine';
import { round, saveReport } from './lib/results';
import { formatTable } from './lib/table';
import { DIMENSIONS, EF_SEARCH, K, measureVectorSearch, TOPICS } from './lib/vector-search-phases';

/**
 * The vector search benchmark (bench/lib/vector-search-phases.ts), on its own:
 *
 *   npm run bench:vectors                                 # 20,000 chunks, 200 queries
 *   npm run bench:vectors -- --chunks 5000 --queries 100
 */
async function main(): Promise<void> {
  const { values } = parseArgs({ options: { chunks: { type: 'string', default: '20000' }, queries: { type: 'string', default: '200' } } });
  const chunks = positiveInteger('--chunks', values.chunks);
  const queries = positiveInteger('--queries', values.queries);
  const startedAt = new Date().toISOString();
  const machine = await describeMachine(await ensureTemporalCli());
  const result = await measureVectorSearch(chunks, queries, (line) => process.stderr.write(`\r${line}`));
  process.stderr.write('\n');
  console.log(formatTable(['machine', ''], machineRows(machine)));
  console.log();
  console.log(`${chunks} chunks × ${DIMENSIONS} dimensions (local embedder, ${TOPICS} topics), loaded in ${round(result.loadSeconds, 1)} s; ${queries} queries, k = ${K}, cosine, PGlite + pgvector HNSW (m 16, ef_construction 64)`);
  console.log(formatTable(['search', 'p50 ms', 'p99 ms', `recall@${K}`], result.rows));
  const file = await saveReport({
    benchmark: 'vector-search',
    startedAt,
    machine,
    settings: { chunks, queries, dimensions: DIMENSIONS, k: K, topics: TOPICS, metric: 'cosine', efSearch: EF_SEARCH },
    metrics: result.metrics,
    samples: result.samples,
  });
  console.log(`\nsaved ${file}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
