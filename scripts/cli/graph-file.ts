import { readFile } from 'node:fs/promises';
import { GraphValidationError } from '../../engine/graph-problem';
import type { ExecutionPlan } from '../../engine/plan';
import { planRun } from '../../activities/plan-run';
import { CliError } from './cli-error';

export interface PlannedGraphFile {
  graph: unknown;
  plan: ExecutionPlan;
}

/** Reads, parses and plans a graph file; any problem becomes a message naming the file (exit code 2). */
export async function planGraphFile(file: string): Promise<PlannedGraphFile> {
  const graph = parseGraphText(file, await readGraphText(file));
  try {
    return { graph, plan: planRun(graph) };
  } catch (error) {
    if (!(error instanceof GraphValidationError)) throw error;
    const count = `${error.problems.length} problem${error.problems.length === 1 ? '' : 's'}`;
    const lines = error.problems.map((problem) => `  ${problem.path}: ${problem.message}`);
    throw new CliError(`${file} is not a valid graph (${count}):\n${lines.join('\n')}`, 2, { cause: error });
  }
}

async function readGraphText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (cause) {
    throw new CliError(`cannot read ${file}: ${(cause as Error).message}`, 2, { cause });
  }
}

function parseGraphText(file: string, text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    throw new CliError(`${file} is not valid JSON: ${(cause as Error).message}`, 2, { cause });
  }
}
