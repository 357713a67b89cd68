import { spawn } from 'node:child_process';
import path from 'node:path';

export interface WorkerProcessOptions {
  address: string;
  taskQueue: string;
  /** Prebuilt workflow bundle (testEnv().bundlePath), so the process starts in seconds. */
  bundlePath: string;
  dataDir: string;
  /** KAI_WORKER_HTTP_PORT (/health, /metrics); by default off, so parallel workers do not compete for a port. */
  httpPort?: number;
  /** More environment for the process (payload key, OTLP endpoint). */
  env?: Record<string, string>;
}

export interface WorkerProcess {
  pid: number;
  /** SIGKILL: the process dies mid-activity, as on a crash or an OOM kill; resolves once it has exited. */
  kill(): Promise<void>;
  /** SIGTERM, the way a deploy stops a worker; SIGKILL after 20 s. Resolves with how it exited. */
  stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const REPO_ROOT = path.resolve(__dirname, '..');
const READY_LINE = 'worker polling task queue';

/**
 * Runs worker/main.ts, the real worker entrypoint, as a child process and resolves once it polls.
 *
 * `node --import tsx` rather than the `tsx` command: the command runs the script in a grandchild that a SIGKILL of
 * the command would leave running, and this test needs the kill to stop the worker itself.
 */
export async function startWorkerProcess(options: WorkerProcessOptions): Promise<WorkerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join('worker', 'main.ts')], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      TEMPORAL_ADDRESS: options.address,
      TEMPORAL_TASK_QUEUE: options.taskQueue,
      KAI_WORKFLOW_BUNDLE: options.bundlePath,
      KAI_DATA_DIR: options.dataDir,
      KAI_WORKER_HTTP_PORT: String(options.httpPort ?? 0),
      // Tests' local HTTP servers listen on loopback, which the outbound policy refuses otherwise.
      KAI_OUTBOUND_ALLOW: '127.0.0.1',
      ...options.env,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ready = new Promise<void>((resolve, reject) => {
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-8000);
      if (stderr.includes(READY_LINE)) resolve();
    });
    child.once('error', reject);
    void exited.then(() => reject(new Error(`worker process exited before polling (code ${child.exitCode}, signal ${child.signalCode}):\n${stderr}`)));
  });
  const hasExited = () => child.exitCode !== null || child.signalCode !== null;
  const signal = async (name: NodeJS.Signals) => {
    if (!hasExited()) child.kill(name);
    await exited;
  };

  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`worker process did not poll within 60 s:\n${stderr}`)), 60_000);
  });
  try {
    await Promise.race([ready, timeout]);
  } catch (error) {
    await signal('SIGKILL');
    throw error;
  } finally {
    clearTimeout(timer);
  }

  return {
    pid: child.pid as number,
    kill: () => signal('SIGKILL'),
    async stop() {
      // Longer than the worker's 10 s shutdown grace time, so a draining worker is not cut short.
      const escalate = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await signal('SIGTERM');
      clearTimeout(escalate);
      return { code: child.exitCode, signal: child.signalCode };
    },
  };
}
