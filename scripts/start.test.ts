import { spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import type { GraphInput } from '../engine/graph';
import { freePort } from '../platform/dev-server';
import { startRun } from '../platform/start-run';
import { testEnv } from '../test/temporal-harness';
import { isPortFree } from './start/ports';
import { waitForHttp } from './start/wait-for-http';

const REPO_ROOT = path.resolve(__dirname, '..');
const TSX = path.join(REPO_ROOT, 'node_modules', '.bin', 'tsx');

interface StartedKai {
  output(): string;
  /** Resolves with the exit code of `npm start`. */
  exit: Promise<number | null>;
  /** SIGTERM, as a deploy or `docker stop` sends it; resolves with the exit code. */
  terminate(): Promise<number | null>;
}

const running = new Set<StartedKai>();
let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'kai-start-'));
});
afterEach(async () => {
  await Promise.all([...running].map((kai) => kai.terminate()));
});
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

/** `npm start` as a user runs it (through the tsx command), with every variable it reads set by the test. */
function startKai(env: Record<string, string>): StartedKai {
  const child = spawn(TSX, ['scripts/start.ts'], {
    cwd: REPO_ROOT,
    env: { ...process.env, TEMPORAL_ADDRESS: '', KAI_WORKFLOW_BUNDLE: '', TEMPORAL_CLI: path.join(REPO_ROOT, '.tools', 'bin', 'temporal'), LOG_LEVEL: 'warn', KAI_WORKER_HTTP_PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => void (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => void (output += chunk.toString()));
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const kai: StartedKai = {
    output: () => output,
    exit,
    terminate: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exit;
    },
  };
  running.add(kai);
  void exit.then(() => running.delete(kai));
  return kai;
}

/** Resolves once `url` answers 200; fails at once, with the output, if `npm start` exits first. */
async function waitWhileRunning(kai: StartedKai, url: string): Promise<void> {
  const gaveUp = new AbortController();
  try {
    await Promise.race([
      waitForHttp(url, { timeoutMs: 150_000, signal: gaveUp.signal }),
      kai.exit.then((code) => Promise.reject(new Error(`npm start exited with ${code} before ${url} answered:\n${kai.output()}`))),
    ]);
  } finally {
    gaveUp.abort();
  }
}

/** Resolves once `npm start` has printed `text`; fails at once, with the output, if it exits first. */
async function waitForOutput(kai: StartedKai, text: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  let exited = false;
  void kai.exit.then(() => (exited = true));
  while (!kai.output().includes(text)) {
    if (exited || Date.now() > deadline) throw new Error(`npm start did not print "${text}":\n${kai.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function withClient<T>(address: string, use: (client: Client) => Promise<T>): Promise<T> {
  const connection = await Connection.connect({ address });
  try {
    return await use(new Client({ connection }));
  } finally {
    await connection.close();
  }
}

const greetingGraph: GraphInput = {
  nodes: [
    { id: 'start', type: 'start', version: 1 },
    { id: 'greet', type: 'set', version: 1, data: { config: { values: { greeting: 'hello {{ input.name }}' } } } },
    { id: 'end', type: 'end', version: 1 },
  ],
  edges: [
    { id: 'e1', source: 'start', target: 'greet' },
    { id: 'e2', source: 'greet', target: 'end' },
  ],
};

test('npm start runs Temporal, the worker and the API; SIGTERM stops all of it; runs survive a restart', async () => {
  const [apiPort, devPort, uiPort] = [await freePort(), await freePort(), await freePort()];
  const env = { PORT: String(apiPort), TEMPORAL_DEV_PORT: String(devPort), TEMPORAL_UI_PORT: String(uiPort), KAI_DATA_DIR: dataDir };
  const address = `127.0.0.1:${devPort}`;

  const first = startKai(env);
  await waitWhileRunning(first, `http://127.0.0.1:${apiPort}/health`);
  await waitWhileRunning(first, `http://127.0.0.1:${uiPort}/`);
  await waitForOutput(first, 'KAI-Fusion is running');
  expect(first.output()).toContain(`API              http://localhost:${apiPort}`);
  expect(first.output()).toContain(`Temporal Web UI  http://localhost:${uiPort}`);

  const runId = `start-test-${randomUUID()}`;
  const result = await withClient(address, async (client) => {
    const handle = await startRun(client, { graph: greetingGraph, inputs: { name: 'kai' }, meta: { trigger: 'test' }, taskQueue: 'kai-fusion', runId });
    return handle.result();
  });
  expect(result).toEqual({ output: { greeting: 'hello kai' }, endNodeIds: ['end'] });

  expect(await first.terminate()).toBe(0);
  expect(first.output()).toContain('[worker]');
  for (const port of [apiPort, devPort, uiPort]) expect(await isPortFree(port)).toBe(true);

  const second = startKai(env);
  await waitWhileRunning(second, `http://127.0.0.1:${apiPort}/health`);
  await withClient(address, async (client) => {
    const description = await client.workflow.getHandle(runId).describe();
    expect(description.status.name).toBe('COMPLETED');
    const listed = [];
    for await (const execution of client.workflow.list({ query: `WorkflowId = '${runId}'` })) listed.push(execution.workflowId);
    expect(listed).toEqual([runId]);
    expect(await client.workflow.getHandle(runId).result()).toEqual(result);
  });
  expect(await second.terminate()).toBe(0);
}, 300_000);

test('with TEMPORAL_ADDRESS set, npm start uses that server and starts no dev server of its own', async () => {
  const { address, bundlePath } = testEnv();
  const [apiPort, uiPort] = [await freePort(), await freePort()];
  const taskQueue = `start-test-${randomUUID()}`;
  const kai = startKai({
    PORT: String(apiPort),
    TEMPORAL_UI_PORT: String(uiPort),
    TEMPORAL_ADDRESS: address,
    TEMPORAL_TASK_QUEUE: taskQueue,
    KAI_WORKFLOW_BUNDLE: bundlePath,
    KAI_DATA_DIR: dataDir,
  });
  await waitWhileRunning(kai, `http://127.0.0.1:${apiPort}/health`);
  const result = await withClient(address, async (client) => (await startRun(client, { graph: greetingGraph, inputs: { name: 'cluster' }, meta: { trigger: 'test' }, taskQueue })).result());
  expect(result.output).toEqual({ greeting: 'hello cluster' });
  expect(await isPortFree(uiPort)).toBe(true);
  await waitForOutput(kai, 'KAI-Fusion is running');
  expect(kai.output()).not.toContain('Temporal Web UI');
  expect(kai.output()).not.toContain('starting the Temporal dev server');
  expect(kai.output()).toContain(`Temporal gRPC  ${address}`);

  expect(await kai.terminate()).toBe(0);
  expect(await isPortFree(apiPort)).toBe(true);
  await withClient(address, (client) => client.workflowService.getSystemInfo({}));
}, 120_000);

test('when a child dies, npm start stops the others and exits 1 naming it', async () => {
  const apiPort = await freePort();
  const kai = startKai({ PORT: String(apiPort), TEMPORAL_ADDRESS: `127.0.0.1:${await freePort()}`, KAI_DATA_DIR: dataDir });
  expect(await kai.exit).toBe(1);
  expect(kai.output()).toMatch(/\[kai\] worker exited with code 1 unexpectedly; stopping everything/);
  expect(await isPortFree(apiPort)).toBe(true);
}, 120_000);

test('a bad configuration value stops npm start with the variable named, before anything starts', async () => {
  const kai = startKai({ PORT: 'eighty', KAI_DATA_DIR: dataDir });
  expect(await kai.exit).toBe(1);
  expect(kai.output()).toMatch(/invalid configuration:\s+PORT: /);
  expect(kai.output()).not.toContain('[worker]');
}, 60_000);

/** The README's first-session walkthrough, exactly as written there (the ```bash walkthrough block). */
function readmeWalkthrough(): string {
  const readme = readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
  const block = /```bash walkthrough\n([\s\S]*?)```/.exec(readme);
  if (!block) throw new Error('README.md has no ```bash walkthrough block');
  return block[1];
}

test("the README's REST walkthrough works against npm start, command for command", async () => {
  const [apiPort, devPort, uiPort] = [await freePort(), await freePort(), await freePort()];
  const walkthroughData = await mkdtemp(path.join(tmpdir(), 'kai-walkthrough-'));
  // As the README says to start it: the example run calls the API's own /health on loopback.
  const kai = startKai({ PORT: String(apiPort), TEMPORAL_DEV_PORT: String(devPort), TEMPORAL_UI_PORT: String(uiPort), KAI_DATA_DIR: walkthroughData, KAI_OUTBOUND_ALLOW: 'localhost' });
  try {
    await waitWhileRunning(kai, `http://127.0.0.1:${apiPort}/health`);
    await waitForOutput(kai, 'KAI-Fusion is running');
    const script = `set -euo pipefail\n${readmeWalkthrough()}`;
    const { stdout, stderr, status } = spawnSync('bash', ['-c', script], { cwd: REPO_ROOT, env: { ...process.env, KAI: `http://localhost:${apiPort}` }, encoding: 'utf8', timeout: 60_000 });
    expect({ status, stderr }).toEqual({ status: 0, stderr: '' });
    expect(stdout).toContain('"number": 1');
    expect(stdout).toMatch(/event: node\.succeeded/);
    expect(stdout).toMatch(/event: run\.succeeded/);
    expect(stdout).toContain('"status": "succeeded"');
    expect(stdout).toContain(`answered 200`);
    expect(stdout).toContain(`http://localhost:${uiPort}/namespaces/default/workflows/run-`);
  } finally {
    await kai.terminate();
    await rm(walkthroughData, { recursive: true, force: true });
  }
}, 300_000);
