import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { isExecutable, LOCAL_CLI_DIR } from './temporal-cli';

/**
 * The production Temporal server (the one docker-compose.yml runs) and its SQL schema tool, as binaries built from
 * source with Go into .tools/bin, for running the production topology without Docker (docs/deploy.md, tests in
 * KAI_TEST_TEMPORAL=postgres mode). The version is read from the compose file's `temporalio/server` image, so the
 * binaries tested here cannot drift from the image that ships.
 */
export const TEMPORAL_SERVER_MODULE = 'go.temporal.io/server';
const REPO_ROOT = path.resolve(__dirname, '..');
const COMPOSE_FILE = path.join(REPO_ROOT, 'docker-compose.yml');

/** What `go install` builds (named after the package folder) and the name each gets in .tools/bin. */
const BINARIES = { server: { pkg: 'cmd/server', name: 'temporal-server' }, sqlTool: { pkg: 'cmd/tools/sql', name: 'temporal-sql-tool' } } as const;

export interface TemporalServerTools {
  /** The Go module tag, e.g. v1.29.7. */
  tag: string;
  serverPath: string;
  sqlToolPath: string;
  /** The PostgreSQL schema folder of that version: `temporal/versioned` and `visibility/versioned` under it. */
  postgresSchemaDir: string;
}

/** The tag of an image reference `temporalio/server:<version>` in the compose file, as a Go module tag (v-prefixed). */
export function composeTemporalServerTag(composeText: string = readFileSync(COMPOSE_FILE, 'utf8')): string {
  const match = /^\s*image:\s*temporalio\/server:(\d+\.\d+\.\d+)\s*$/m.exec(composeText);
  if (!match) throw new Error(`${COMPOSE_FILE} names no temporalio/server:<x.y.z> image`);
  return `v${match[1]}`;
}

/** The version a built binary reports (`<binary> --version` prints e.g. "temporal version 1.29.7"), v-prefixed. */
export function binaryVersion(binary: string): string | undefined {
  if (!isExecutable(binary)) return undefined;
  const result = spawnSync(binary, ['--version'], { encoding: 'utf8' });
  const match = /(\d+\.\d+\.\d+)/.exec(`${result.stdout}${result.stderr}`);
  return match ? `v${match[1]}` : undefined;
}

/**
 * The server and SQL tool at the compose file's tag, built into .tools/bin when missing or of another version
 * (minutes the first time; the module cache keeps the source and its schema files afterwards).
 */
export async function ensureTemporalServerTools(log: (line: string) => void = console.error): Promise<TemporalServerTools> {
  const tag = composeTemporalServerTag();
  const serverPath = path.join(LOCAL_CLI_DIR, BINARIES.server.name);
  const sqlToolPath = path.join(LOCAL_CLI_DIR, BINARIES.sqlTool.name);
  if (spawnSync('go', ['version'], { stdio: 'ignore' }).status !== 0) {
    throw new Error(`Go >= 1.25 is needed to build the Temporal server ${tag} (and to locate its schema files); install it and retry`);
  }
  for (const binary of Object.values(BINARIES)) {
    const target = path.join(LOCAL_CLI_DIR, binary.name);
    if (binaryVersion(target) === tag) continue;
    log(`Building ${binary.name} ${tag} into ${LOCAL_CLI_DIR} (once; the server takes several minutes)…`);
    await goInstall(`${TEMPORAL_SERVER_MODULE}/${binary.pkg}@${tag}`, path.basename(binary.pkg), target);
    if (binaryVersion(target) !== tag) throw new Error(`${target} does not report version ${tag} after the build`);
  }
  return { tag, serverPath, sqlToolPath, postgresSchemaDir: path.join(moduleDir(tag), 'schema', 'postgresql', 'v12') };
}

/**
 * `go install` names the binary after its package folder (`server`, `sql`): it builds into a private folder next to
 * the target and is renamed into place, so two builds at once (other worktrees share .tools) never see half a file.
 */
async function goInstall(module: string, builtName: string, target: string): Promise<void> {
  await mkdir(path.dirname(target), { recursive: true });
  const gobin = await mkdtemp(path.join(path.dirname(target), '.build-'));
  try {
    await new Promise<void>((resolve, reject) => {
      const child = spawn('go', ['install', module], { env: { ...process.env, GOBIN: gobin }, stdio: ['ignore', 'inherit', 'inherit'] });
      child.on('error', reject);
      child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`go install ${module} exited with ${code}`))));
    });
    await rename(path.join(gobin, builtName), target);
  } finally {
    await rm(gobin, { recursive: true, force: true });
  }
}

/** The module's source folder in Go's module cache (downloaded if the cache was cleaned since the build). */
function moduleDir(tag: string): string {
  const result = spawnSync('go', ['mod', 'download', '-json', `${TEMPORAL_SERVER_MODULE}@${tag}`], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`go mod download ${TEMPORAL_SERVER_MODULE}@${tag} failed:\n${result.stderr}${result.stdout}`);
  return (JSON.parse(result.stdout) as { Dir: string }).Dir;
}
