import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';

export interface ApiProcessOptions {
  databaseUrl: string;
  temporalAddress: string;
  /** Runs go to this queue: a test harness's, whose in-process worker runs them. */
  taskQueue: string;
  port: number;
  /** KAI_ENCRYPTION_KEY (base64 of 32 bytes): the key that sealed the webhook secrets the test uses. */
  encryptionKey: string;
  jwtSecret: string;
  /** KAI_DATA_DIR; the process's log goes to `api-<pid>.log` here. */
  dataDir: string;
}

export interface ApiProcess {
  pid: number;
  url: string;
  /** SIGKILL: the process dies mid-request, as on a crash or an OOM kill; resolves once it has exited. */
  kill(): Promise<void>;
  /** SIGTERM, the way a deploy stops the API; SIGKILL after 10 s. Resolves with how it exited. */
  stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const REPO_ROOT = path.resolve(__dirname, '..');
const START_TIMEOUT_MS = 60_000;

/**
 * Runs api/main.ts, the real API entrypoint, as a child process and resolves once it answers /health.
 *
 * `node --import tsx` rather than the `tsx` command, so a SIGKILL stops the API itself and not a wrapper (see
 * test/worker-process.ts). Its log goes to a file rather than a pipe: a pipe drained by a busy parent would make
 * every log write of the API wait, which is not what a deployed API pays.
 */
export async function startApiProcess(options: ApiProcessOptions): Promise<ApiProcess> {
  const logPath = path.join(options.dataDir, `api-${Date.now()}-${Math.random().toString(36).slice(2)}.log`);
  const log = openSync(logPath, 'a');
  const child = spawn(process.execPath, ['--import', 'tsx', path.join('api', 'main.ts')], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      PORT: String(options.port),
      DATABASE_URL: options.databaseUrl,
      TEMPORAL_ADDRESS: options.temporalAddress,
      TEMPORAL_TASK_QUEUE: options.taskQueue,
      KAI_ENCRYPTION_KEY: options.encryptionKey,
      KAI_JWT_SECRET: options.jwtSecret,
      KAI_DATA_DIR: options.dataDir,
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', log, log],
  });
  closeSync(log);
  const url = `http://127.0.0.1:${options.port}`;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const hasExited = () => child.exitCode !== null || child.signalCode !== null;
  const signal = async (name: NodeJS.Signals) => {
    if (!hasExited()) child.kill(name);
    await exited;
  };
  const failure = async (why: string) => new Error(`${why}; its log ends:\n${(await readFile(logPath, 'utf8')).slice(-8000)}`);

  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    if (hasExited()) throw await failure(`API process exited before serving (code ${child.exitCode}, signal ${child.signalCode})`);
    if (Date.now() > deadline) {
      await signal('SIGKILL');
      throw await failure(`API process did not serve /health within ${START_TIMEOUT_MS / 1000} s`);
    }
    if (await healthy(url)) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }

  return {
    pid: child.pid as number,
    url,
    kill: () => signal('SIGKILL'),
    async stop() {
      const escalate = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await signal('SIGTERM');
      clearTimeout(escalate);
      return { code: child.exitCode, signal: child.signalCode };
    },
  };
}

async function healthy(url: string): Promise<boolean> {
  try {
    return (await fetch(`${url}/health`, { signal: AbortSignal.timeout(1000) })).ok;
  } catch {
    return false;
  }
}
