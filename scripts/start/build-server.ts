import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { build, type BuildOptions, type Plugin } from 'esbuild';
import { SANDBOX_THREAD_BUNDLE } from '../../activities/sandbox/sandbox-thread-bundle';
import { bundleWorkflows } from '../../worker/bundle-workflows';
import { SERVER_DIST, SERVER_ENTRY, SERVER_WORKFLOW_BUNDLE } from './server-dist';

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const STAMP = path.join(SERVER_DIST, 'sources.sha256');
const SOURCE_DIRS = ['api', 'worker', 'workflows', 'activities', 'engine', 'platform', 'db', 'scripts'];
const SOURCE_FILES = ['package-lock.json', 'tsconfig.json'];

/** True when `dist/server` was built from exactly the sources there now. */
export async function serverBuildIsCurrent(): Promise<boolean> {
  return (await readFile(STAMP, 'utf8').catch(() => '')) === (await sourcesHash());
}

/** Builds `dist/server`: the one-process server `npm start` runs, and the workflow bundle its worker loads. */
export async function buildServer(): Promise<void> {
  const hash = await sourcesHash();
  await mkdir(SERVER_DIST, { recursive: true });
  await Promise.all([
    build({
      ...SERVER_BUILD,
      entryPoints: [path.join(REPO_ROOT, 'scripts', 'start.ts')],
      outfile: SERVER_ENTRY,
    }),
    // The Code node's sandbox threads start from a file of their own.
    build({
      ...SERVER_BUILD,
      entryPoints: [path.join(REPO_ROOT, 'activities', 'sandbox', 'sandbox-thread-main.ts')],
      outfile: path.join(SERVER_DIST, SANDBOX_THREAD_BUNDLE),
    }),
    bundleWorkflows(SERVER_WORKFLOW_BUNDLE),
  ]);
  await writeFile(STAMP, hash);
}

/**
 * Modules find files beside their source (web/dist, .tools/bin, a worker thread's script) through `__dirname`; in
 * one bundle that would be `dist/server` for all of them, so each module's `__dirname` is made its source folder's.
 */
const sourceDirnames: Plugin = {
  name: 'source-dirnames',
  setup(esbuild) {
    esbuild.onLoad({ filter: /\.ts$/ }, async ({ path: file }) => {
      const text = await readFile(file, 'utf8');
      const fromBundle = JSON.stringify(path.relative(SERVER_DIST, path.dirname(file)));
      return { contents: text.replace(/\b__dirname\b/g, `require('node:path').join(__dirname, ${fromBundle})`), loader: 'ts' };
    });
  },
};

/** What every entry of the server build shares. */
const SERVER_BUILD = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  // Dependencies load from node_modules as they are: PGlite, the Temporal core bridge and others ship files
  // they find beside their own modules.
  packages: 'external',
  // MikroORM names migrations and entities by their class names.
  keepNames: true,
  sourcemap: 'linked',
  logLevel: 'warning',
  plugins: [sourceDirnames],
} satisfies BuildOptions;

async function sourcesHash(): Promise<string> {
  const files = [...SOURCE_FILES, ...(await Promise.all(SOURCE_DIRS.map((dir) => sourceFiles(dir)))).flat()].sort();
  const hash = createHash('sha256');
  for (const file of files) hash.update(`${file}\0`).update(await readFile(path.join(REPO_ROOT, file))).update('\0');
  return hash.digest('hex');
}

async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await readdir(path.join(REPO_ROOT, dir), { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile() && /\.(ts|mjs)$/.test(entry.name) && !entry.name.endsWith('.test.ts'))
    .map((entry) => path.relative(REPO_ROOT, path.join(entry.parentPath, entry.name)));
}
