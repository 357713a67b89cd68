import { spawn, spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import path from 'node:path';

export const TEMPORAL_CLI_MODULE = 'github.com/temporalio/cli/cmd/temporal@v1.5.1';
const REPO_ROOT = path.resolve(__dirname, '..');
export const LOCAL_CLI_DIR = path.join(REPO_ROOT, '.tools', 'bin');

/** The `temporal` CLI from TEMPORAL_CLI, the PATH, or .tools/bin, in that order. */
export function findTemporalCli(explicit: string | undefined = process.env.TEMPORAL_CLI): string | undefined {
  if (explicit) return isExecutable(explicit) ? path.resolve(explicit) : undefined;
  const candidates = [...(process.env.PATH ?? '').split(path.delimiter).filter(Boolean), LOCAL_CLI_DIR].map((dir) => path.join(dir, 'temporal'));
  return candidates.find(isExecutable);
}

/** Finds the CLI, or builds it once into .tools/bin with Go (a few minutes the first time). */
export async function ensureTemporalCli(explicit?: string, log: (line: string) => void = console.error): Promise<string> {
  const found = findTemporalCli(explicit);
  if (found) return found;
  if (explicit) throw new Error(`TEMPORAL_CLI=${explicit} is not an executable file`);
  if (spawnSync('go', ['version'], { stdio: 'ignore' }).status !== 0) {
    throw new Error(
      'The Temporal CLI was not found (TEMPORAL_CLI, PATH, .tools/bin) and Go is not installed to build it.\n' +
        `Install Go >= 1.25 and run: GOBIN=${LOCAL_CLI_DIR} go install ${TEMPORAL_CLI_MODULE}\n` +
        'or install the CLI another way (https://docs.temporal.io/cli) and set TEMPORAL_CLI to its path.',
    );
  }
  log(`Building the Temporal CLI into ${LOCAL_CLI_DIR} (once; takes a few minutes)…`);
  await new Promise<void>((resolve, reject) => {
    const child = spawn('go', ['install', TEMPORAL_CLI_MODULE], { env: { ...process.env, GOBIN: LOCAL_CLI_DIR }, stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`go install ${TEMPORAL_CLI_MODULE} exited with ${code}`))));
  });
  const built = findTemporalCli();
  if (!built) throw new Error(`go install finished but ${LOCAL_CLI_DIR}/temporal is missing`);
  return built;
}

export function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
