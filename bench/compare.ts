import { readFile } from 'node:fs/promises';
import { compareMetrics } from './lib/compare-metrics';
import type { BenchmarkReport } from './lib/results';
import { formatTable } from './lib/table';

/**
 * Prints the deltas between two results files of the same benchmark, e.g. one taken on main and one on a branch:
 *
 *   npm run bench:compare -- bench/results/bench-<main>.json bench/results/bench-<branch>.json
 *
 * It warns when the files come from different benchmarks or machines, whose figures do not compare.
 */

async function readReport(file: string): Promise<BenchmarkReport> {
  return JSON.parse(await readFile(file, 'utf8')) as BenchmarkReport;
}

function machineDifferences(base: BenchmarkReport, next: BenchmarkReport): string[] {
  return Object.entries(base.machine).flatMap(([field, value]) => {
    const other = next.machine[field as keyof BenchmarkReport['machine']];
    return other === value ? [] : [`${field}: ${value} → ${other}`];
  });
}

async function main(): Promise<void> {
  const files = process.argv.slice(2);
  if (files.length !== 2) throw new Error('usage: npm run bench:compare -- <base.json> <new.json>');
  const [base, next] = await Promise.all(files.map(readReport));
  if (base.benchmark !== next.benchmark) console.log(`warning: comparing a "${base.benchmark}" result with a "${next.benchmark}" one`);
  for (const difference of machineDifferences(base, next)) console.log(`warning: not the same machine (${difference})`);

  const rows = compareMetrics(base.metrics, next.metrics);
  const cell = (value: number | undefined) => value ?? '—';
  console.log(`base ${files[0]} (${base.startedAt})\nnew  ${files[1]} (${next.startedAt})\n`);
  console.log(
    formatTable(
      ['metric', 'unit', 'base', 'new', 'delta', 'delta %'],
      rows.map((row) => [row.metric, row.unit, cell(row.base), cell(row.next), cell(row.delta), row.deltaPercent === undefined ? '—' : `${row.deltaPercent > 0 ? '+' : ''}${row.deltaPercent} %`]),
    ),
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
