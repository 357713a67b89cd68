import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildServer, serverBuildIsCurrent } from '../../scripts/start/build-server';
import { unusedPort } from '../../scripts/start/ports';
import { graphEdge, graphNode } from '../../test/graph-builders';
import { processTree, stillRunning, type ProcessInfo } from '../../test/process-tree';
import { waitFor } from '../../test/wait-for';
import { round, type Metric } from '../lib/results';

export interface StartFootprintOptions {
  /** How long `npm start` idles after its banner before its memory is read. */
  idleSeconds: number;
  /** How long REST starts with `wait` keep it busy, `concurrency` at a time, while its peak memory is sampled. */
  loadSeconds: number;
  concurrency: number;
  progress(line: string): void;
}

export interface StartFootprint {
  /** From spawning `npm start` (server build current) to its banner. */
  startupMs: number;
  /** Resident memory per part of the process tree, MiB, after the idle time. */
  idleMiB: Record<string, number>;
  peakMiB: number;
  runsPerSecond: number;
}

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const SAMPLE_EVERY_MS = 250;
const CHAIN_LENGTH = 10;

/** Which part of `npm start` a process of its tree is. */
function partOf(info: ProcessInfo): string {
  if (info.command.includes('dist/server/start.js')) return 'server (API, worker, PGlite)';
  if (info.command.includes('temporal server start-dev')) return 'Temporal dev server';
  return info.command.startsWith('npm') ? 'npm' : info.command.split(' ')[0];
}

function treeMiB(root: number): Record<string, number> {
  const parts: Record<string, number> = {};
  for (const info of processTree(root)) parts[partOf(info)] = (parts[partOf(info)] ?? 0) + info.rssBytes / 2 ** 20;
  return parts;
}

const total = (parts: Record<string, number>) => Object.values(parts).reduce((sum, value) => sum + value, 0);

/**
 * `npm start` as a user runs it, on a fresh data directory and ports of its own: how long it takes to come up, the
 * resident memory of its whole process tree when idle, and the peak while REST starts with `wait` of a chain of
 * Set nodes keep it busy.
 */
export async function measureStartFootprint(options: StartFootprintOptions): Promise<StartFootprint> {
  if (!(await serverBuildIsCurrent())) {
    options.progress('building dist/server first, so start-up is measured without the build…');
    await buildServer();
  }
  const dataDir = await mkdtemp(path.join(tmpdir(), 'kai-footprint-'));
  const port = await unusedPort();
  const env = { ...process.env, PORT: String(port), TEMPORAL_DEV_PORT: String(await unusedPort()), TEMPORAL_UI_PORT: String(await unusedPort()), KAI_DATA_DIR: dataDir, KAI_WORKER_HTTP_PORT: '0', LOG_LEVEL: 'warn' };
  const started = performance.now();
  const child = spawn('npm', ['start'], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => void (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => void (output += chunk.toString()));
  const pid = child.pid as number;
  const seen: ProcessInfo[] = [];
  try {
    await waitFor('npm start to print its banner', () => {
      if (child.exitCode !== null) throw new Error(`npm start exited with ${child.exitCode}:\n${output}`);
      return output.includes('KAI-Fusion is running');
    }, 300_000);
    const startupMs = performance.now() - started;
    options.progress(`npm start came up in ${(startupMs / 1000).toFixed(1)} s; idling ${options.idleSeconds} s`);
    await new Promise((resolve) => setTimeout(resolve, options.idleSeconds * 1000));
    seen.push(...processTree(pid));
    const idleMiB = treeMiB(pid);

    options.progress(`REST starts with wait of Start → ${CHAIN_LENGTH} Set → End, ${options.concurrency} at a time for ${options.loadSeconds} s`);
    const load = await loadWithRestRuns(`http://127.0.0.1:${port}/api/v1`, options, () => total(treeMiB(pid)));
    return { startupMs, idleMiB, ...load };
  } finally {
    seen.push(...processTree(pid));
    if (child.exitCode === null) process.kill(-pid, 'SIGTERM');
    await waitFor('every process of npm start to exit', () => seen.every((info) => !stillRunning(info)), 60_000);
    await rm(dataDir, { recursive: true, force: true });
  }
}

async function loadWithRestRuns(base: string, options: StartFootprintOptions, sampleMiB: () => number): Promise<{ peakMiB: number; runsPerSecond: number }> {
  const call = async <T>(method: string, route: string, token?: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${base}${route}`, { method, headers: { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }) }, body: body === undefined ? undefined : JSON.stringify(body) });
    if (!response.ok) throw new Error(`${method} ${route}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  };
  const { accessToken } = await call<{ accessToken: string }>('POST', '/auth/signup', undefined, { email: 'footprint@example.com', password: 'correct horse battery' });
  const sets = Array.from({ length: CHAIN_LENGTH }, (_, index) => `set${index}`);
  const ids = ['start', ...sets, 'end'];
  const graph = {
    nodes: [graphNode('start', 'start'), ...sets.map((id, index) => graphNode(id, 'set', { values: { [`step${index}`]: index } })), graphNode('end', 'end')],
    edges: ids.slice(1).map((id, index) => graphEdge(ids[index], id)),
  };
  const workflow = await call<{ id: string }>('POST', '/workflows', accessToken, { name: 'Footprint chain', graph });
  await call('POST', `/workflows/${workflow.id}/versions`, accessToken);

  let peakMiB = sampleMiB();
  const sampler = setInterval(() => (peakMiB = Math.max(peakMiB, sampleMiB())), SAMPLE_EVERY_MS);
  const loadStarted = performance.now();
  const until = loadStarted + options.loadSeconds * 1000;
  let finished = 0;
  try {
    await Promise.all(
      Array.from({ length: options.concurrency }, async () => {
        while (performance.now() < until) {
          // A run still `running` when its answer came (the wait gave up under load) is not counted as finished.
          const run = await call<{ status: string }>('POST', `/workflows/${workflow.id}/runs`, accessToken, { inputs: {}, wait: 60 });
          if (run.status === 'succeeded') finished++;
          else if (run.status !== 'running') throw new Error(`a footprint run ended ${run.status}`);
        }
      }),
    );
  } finally {
    clearInterval(sampler);
  }
  return { peakMiB, runsPerSecond: finished / ((performance.now() - loadStarted) / 1000) };
}

/** The figures of a footprint as table rows: start-up, idle memory per part and in all, peak memory and its load. */
export function footprintMetrics(footprint: StartFootprint, options: Pick<StartFootprintOptions, 'concurrency'>): Metric[] {
  return [
    { metric: 'start-up to banner', value: round(footprint.startupMs / 1000, 1), unit: 's' },
    ...Object.entries(footprint.idleMiB).map(([part, mib]) => ({ metric: `idle RSS, ${part}`, value: round(mib, 0), unit: 'MiB' })),
    { metric: 'idle RSS, whole tree', value: round(total(footprint.idleMiB), 0), unit: 'MiB' },
    { metric: `peak RSS, whole tree, ${options.concurrency} REST runs with wait at a time`, value: round(footprint.peakMiB, 0), unit: 'MiB' },
    { metric: `runs/s during that load (Start → ${CHAIN_LENGTH} Set → End)`, value: round(footprint.runsPerSecond, 1), unit: 'runs/s' },
  ];
}
