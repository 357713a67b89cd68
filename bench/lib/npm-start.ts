import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildServer, serverBuildIsCurrent } from '../../scripts/start/build-server';
import { unusedPort } from '../../scripts/start/ports';
import { processTree, stillRunning, type ProcessInfo } from '../../test/process-tree';
import { waitFor } from '../../test/wait-for';

/** `npm start` as a user runs it, on a fresh data directory and ports of its own. */
export interface NpmStart {
  /** `http://127.0.0.1:<PORT>`: API, webhooks and canvas. */
  origin: string;
  /** Its Temporal dev server's frontend, `127.0.0.1:<TEMPORAL_DEV_PORT>`. */
  temporalAddress: string;
  /** From spawning `npm start` (server build current) to its banner. */
  startupMs: number;
  /** What it printed so far, stdout and stderr interleaved. */
  output(): string;
  /** Resident memory of its process tree now, MiB, by part (server process, Temporal dev server, npm). */
  treeMiB(): Record<string, number>;
  /** SIGTERM to the whole group; resolves once every process of the tree has exited and the data is removed. */
  stop(): Promise<void>;
}

const REPO_ROOT = path.resolve(__dirname, '..', '..');

/** Which part of `npm start` a process of its tree is. */
function partOf(info: ProcessInfo): string {
  if (info.command.includes('dist/server/start.js')) return 'server (API, worker, PGlite)';
  if (info.command.includes('temporal server start-dev')) return 'Temporal dev server';
  return info.command.startsWith('npm') ? 'npm' : info.command.split(' ')[0];
}

export const totalMiB = (parts: Record<string, number>) => Object.values(parts).reduce((sum, value) => sum + value, 0);

/**
 * Starts `npm start` with its defaults (only ports, the data directory and `env` differ), building dist/server
 * first when stale so start-up is measured without the build, and waits for its banner.
 */
export async function startNpmStart(options: { env?: Record<string, string>; progress(line: string): void }): Promise<NpmStart> {
  if (!(await serverBuildIsCurrent())) {
    options.progress('building dist/server first, so start-up is measured without the build…');
    await buildServer();
  }
  const dataDir = await mkdtemp(path.join(tmpdir(), 'kai-bench-start-'));
  const port = await unusedPort();
  const temporalPort = await unusedPort();
  const env = {
    ...process.env,
    PORT: String(port),
    TEMPORAL_DEV_PORT: String(temporalPort),
    TEMPORAL_UI_PORT: String(await unusedPort()),
    KAI_DATA_DIR: dataDir,
    KAI_WORKER_HTTP_PORT: '0',
    LOG_LEVEL: 'warn',
    ...options.env,
  };
  const started = performance.now();
  const child = spawn('npm', ['start'], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => void (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => void (output += chunk.toString()));
  const pid = child.pid as number;
  const seen: ProcessInfo[] = [];
  const treeMiB = () => {
    const tree = processTree(pid);
    seen.push(...tree);
    const parts: Record<string, number> = {};
    for (const info of tree) parts[partOf(info)] = (parts[partOf(info)] ?? 0) + info.rssBytes / 2 ** 20;
    return parts;
  };
  const stop = async () => {
    seen.push(...processTree(pid));
    if (child.exitCode === null) process.kill(-pid, 'SIGTERM');
    await waitFor('every process of npm start to exit', () => seen.every((info) => !stillRunning(info)), 60_000);
    await rm(dataDir, { recursive: true, force: true });
  };
  try {
    await waitFor('npm start to print its banner', () => {
      if (child.exitCode !== null) throw new Error(`npm start exited with ${child.exitCode}:\n${output}`);
      return output.includes('KAI-Fusion is running');
    }, 300_000);
  } catch (error) {
    await stop();
    throw error;
  }
  treeMiB();
  return { origin: `http://127.0.0.1:${port}`, temporalAddress: `127.0.0.1:${temporalPort}`, startupMs: performance.now() - started, output: () => output, treeMiB, stop };
}
