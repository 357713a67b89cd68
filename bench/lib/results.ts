import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { MachineInfo } from './machine';

/** One printed and saved figure; values are rounded once, so the table and the JSON file agree. */
export interface Metric {
  metric: string;
  value: number;
  unit: string;
}

export interface BenchmarkReport {
  benchmark: string;
  startedAt: string;
  machine: MachineInfo;
  settings: Record<string, unknown>;
  metrics: Metric[];
  /** Raw measurements, for comparisons that want more than the summary. */
  samples: Record<string, number[]>;
  /** Findings that are not figures, e.g. which invariants a chaos scenario broke and how. */
  details?: Record<string, unknown>;
}

export const RESULTS_DIR = path.join(__dirname, '..', 'results');

/** Writes bench/results/<benchmark>-<start time>.json; `:` becomes `-` so the name is valid on every file system. */
export async function saveReport(report: BenchmarkReport): Promise<string> {
  const file = path.join(RESULTS_DIR, `${report.benchmark}-${report.startedAt.replace(/:/g, '-')}.json`);
  await mkdir(RESULTS_DIR, { recursive: true });
  await writeFile(file, `${JSON.stringify(report, null, 2)}\n`);
  return file;
}

export function round(value: number, decimals = 1): number {
  const scale = 10 ** decimals;
  return Math.round(value * scale) / scale;
}
