import { spawn } from 'node:child_process';
import path from 'node:path';
import type { EmbeddedPostgres, EmbeddedPostgresOptions } from './embedded-postgres';

const REPO_ROOT = path.resolve(__dirname, '..');
/** PGlite compiles its WebAssembly when it starts: seconds alone, over a minute on a machine busy with other suites. */
const START_TIMEOUT_MS = 180_000;

/**
 * Runs {@link startEmbeddedPostgres} in a child process, the way `npm start` keeps it in its supervisor while the
 * API and worker connect over the socket. Jest needs this: PGlite loads its parts with dynamic `import()`, which
 * Jest's module sandbox refuses.
 */
export async function spawnEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const entry = path.join(__dirname, 'embedded-postgres-main.ts');
  const child = spawn(process.execPath, ['--import', 'tsx', entry, options.dir, String(options.port)], {
    cwd: REPO_ROOT,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => void (stderr = (stderr + chunk.toString()).slice(-8000)));
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const hasExited = () => child.exitCode !== null || child.signalCode !== null;

  let timer: NodeJS.Timeout | undefined;
  try {
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        const line = stdout.split('\n', 1)[0];
        if (stdout.includes('\n')) resolve((JSON.parse(line) as { url: string }).url);
      });
      child.once('error', reject);
      void exited.then(() => reject(new Error(`embedded database process exited before serving (code ${child.exitCode}):\n${stderr}`)));
      timer = setTimeout(() => reject(new Error(`embedded database did not start within ${START_TIMEOUT_MS / 1000} s:\n${stderr}`)), START_TIMEOUT_MS);
    });
    return {
      url,
      async stop() {
        if (hasExited()) return;
        const escalate = setTimeout(() => child.kill('SIGKILL'), 10_000);
        child.kill('SIGTERM');
        await exited;
        clearTimeout(escalate);
      },
    };
  } catch (error) {
    if (child.pid !== undefined && !hasExited()) {
      child.kill('SIGKILL');
      await exited;
    }
    throw error;
  } finally {
    clearTimeout(timer);
  }
}
