import { spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import type { GraphInput } from '../engine/graph';
import { startRun } from '../platform/start-run';
import { graphEdge, graphNode } from '../test/graph-builders';
import { processTree, stillRunning, type ProcessInfo } from '../test/process-tree';
import { testEnv } from '../test/temporal-harness';
import { waitFor } from '../test/wait-for';
import { buildServer, serverBuildIsCurrent } from './start/build-server';
import { isPortFree, unusedPort } from './start/ports';
import { waitForHttp } from './start/wait-for-http';
import { jsonCaller } from '../test/json-call';

const REPO_ROOT = path.resolve(__dirname, '..');

interface StartedKai {
  /** The `npm` process, leader of the process group `npm start` runs in. */
  pid: number;
  output(): string;
  /** Resolves with the exit code of `npm start`. */
  exit: Promise<number | null>;
  /** Every process of the tree as it was when last looked at (see `look`). */
  seen(): ProcessInfo[];
  /** Records the tree as it is now; returns it. */
  look(): ProcessInfo[];
  /** SIGTERM to the process group, as a terminal or a session manager sends it; resolves with the exit code. */
  terminate(): Promise<number | null>;
}

const running = new Set<StartedKai>();
let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'kai-start-'));
  // `npm start` would build it too; built here, the first test's start-up is not also the build.
  if (!(await serverBuildIsCurrent())) await buildServer();
}, 300_000);
afterEach(async () => {
  await Promise.all([...running].map((kai) => kai.terminate()));
});
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

/** `npm start` as a user runs it, in a process group of its own, with every variable it reads set by the test. */
function startKai(env: Record<string, string>): StartedKai {
  const child = spawn('npm', ['start'], {
    cwd: REPO_ROOT,
    env: { ...process.env, TEMPORAL_ADDRESS: '', KAI_WORKFLOW_BUNDLE: '', TEMPORAL_CLI: path.join(REPO_ROOT, '.tools', 'bin', 'temporal'), LOG_LEVEL: 'warn', KAI_WORKER_HTTP_PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const pid = child.pid as number;
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => void (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => void (output += chunk.toString()));
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const seen = new Map<number, ProcessInfo>();
  const look = () => {
    const tree = processTree(pid);
    for (const info of tree) seen.set(info.pid, info);
    return tree;
  };
  const kai: StartedKai = {
    pid,
    output: () => output,
    exit,
    seen: () => [...seen.values()],
    look,
    terminate: async () => {
      look();
      if (child.exitCode === null && child.signalCode === null) process.kill(-pid, 'SIGTERM');
      const code = await exit;
      await waitFor('every process of npm start to exit', () => kai.seen().every((info) => !stillRunning(info)), 60_000);
      return code;
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
      waitForHttp(url, { timeoutMs: 240_000, signal: gaveUp.signal }),
      kai.exit.then((code) => Promise.reject(new Error(`npm start exited with ${code} before ${url} answered:\n${kai.output()}`))),
    ]);
  } finally {
    gaveUp.abort();
  }
}

/** Resolves once `npm start` has printed `text`; fails at once, with the output, if it exits first. */
async function waitForOutput(kai: StartedKai, text: string): Promise<void> {
  const deadline = Date.now() + 240_000;
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
  nodes: [graphNode('start', 'start'), graphNode('greet', 'set', { values: { greeting: 'hello {{ input.name }}' } }), graphNode('end', 'end')],
  edges: [graphEdge('start', 'greet'), graphEdge('greet', 'end')],
};

async function localPorts(): Promise<{ env: Record<string, string>; apiPort: number; devPort: number; uiPort: number }> {
  const [apiPort, devPort, uiPort] = [await unusedPort(), await unusedPort(), await unusedPort()];
  return { apiPort, devPort, uiPort, env: { PORT: String(apiPort), TEMPORAL_DEV_PORT: String(devPort), TEMPORAL_UI_PORT: String(uiPort) } };
}

test('npm start runs the API, the worker and the database in one compiled process beside the dev server; SIGTERM stops all of it; runs survive a restart', async () => {
  const { env: ports, apiPort, devPort, uiPort } = await localPorts();
  const env = { ...ports, KAI_DATA_DIR: dataDir };
  const address = `127.0.0.1:${devPort}`;

  const first = startKai(env);
  await waitForOutput(first, 'KAI-Fusion is running');
  await waitWhileRunning(first, `http://127.0.0.1:${apiPort}/health`);
  await waitWhileRunning(first, `http://127.0.0.1:${uiPort}/`);
  expect(first.output()).toContain(`API              http://localhost:${apiPort}`);
  expect(first.output()).toContain(`Temporal Web UI  http://localhost:${uiPort}`);
  // What the user needs, not the workflow bundler's report nor the SDK's worker state changes.
  expect(first.output()).not.toMatch(/webpack|workflow-bundle|\[INFO\]/);

  const commands = first.look().map((info) => info.command);
  expect(commands.filter((command) => command.includes('dist/server/start.js'))).toHaveLength(1);
  expect(commands.filter((command) => command.includes('temporal server start-dev'))).toHaveLength(1);
  expect(commands.filter((command) => /tsx|esbuild/.test(command))).toEqual([]);
  expect(commands).toHaveLength(3);

  const runId = `start-test-${randomUUID()}`;
  const result = await withClient(address, async (client) => {
    const handle = await startRun(client, { graph: greetingGraph, inputs: { name: 'kai' }, meta: { trigger: 'test' }, taskQueue: 'kai-fusion', runId });
    return handle.result();
  });
  expect(result).toEqual({ output: { greeting: 'hello kai' }, endNodeIds: ['end'] });

  expect(await first.terminate()).toBe(0);
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
}, 600_000);

test('a run started over REST with wait is handed to the worker in the answer to its start (eager start)', async () => {
  const { env: ports, apiPort, devPort } = await localPorts();
  const kai = startKai({ ...ports, KAI_DATA_DIR: dataDir });
  await waitForOutput(kai, 'KAI-Fusion is running');
  const base = `http://127.0.0.1:${apiPort}/api/v1`;
  const call = jsonCaller(base);
  const { accessToken } = await call<{ accessToken: string }>('POST', '/auth/signup', undefined, { email: `eager-${randomUUID()}@example.com`, password: 'correct horse battery' });
  const workflow = await call<{ id: string }>('POST', '/workflows', accessToken, { name: 'Greets', graph: greetingGraph });
  await call('POST', `/workflows/${workflow.id}/versions`, accessToken);
  const run = await call<{ status: string; temporal: { workflowId: string } }>('POST', `/workflows/${workflow.id}/runs`, accessToken, { inputs: { name: 'eager' }, wait: 30 });
  expect(run.status).toBe('succeeded');

  const started = await withClient(`127.0.0.1:${devPort}`, async (client) => (await client.workflow.getHandle(run.temporal.workflowId).fetchHistory()).events?.[0]);
  expect(started?.workflowExecutionStartedEventAttributes?.eagerExecutionAccepted).toBe(true);
  expect(await kai.terminate()).toBe(0);
}, 600_000);

const RUNS_PER_ROUND = 60;
/** Long enough that every run of a round still waits when npm start is killed; it fires while npm start is down. */
const DELAY_SECONDS = 30;
const delayedGraph: GraphInput = {
  nodes: [graphNode('start', 'start'), graphNode('wait', 'delay', { duration: `${DELAY_SECONDS}s` }), graphNode('mark', 'set', { values: { done: true } }), graphNode('end', 'end')],
  edges: [graphEdge('start', 'wait'), graphEdge('wait', 'mark'), graphEdge('mark', 'end')],
};

/** Starts a round of runs and resolves once every one of them waits on its Delay's timer; resolves with their ids. */
async function runsWaitingOnDelay(client: Client, round: string): Promise<string[]> {
  const ids = Array.from({ length: RUNS_PER_ROUND }, (_, index) => `start-kill-${round}-${index}-${randomUUID()}`);
  await Promise.all(ids.map((runId) => startRun(client, { graph: delayedGraph, meta: { trigger: 'test' }, taskQueue: 'kai-fusion', runId })));
  const waiting = new Set<string>();
  await waitFor(`${RUNS_PER_ROUND} runs to wait on their Delay`, async () => {
    for (const id of ids.filter((runId) => !waiting.has(runId))) {
      const history = await client.workflow.getHandle(id).fetchHistory();
      if (history.events?.some((event) => event.timerStartedEventAttributes)) waiting.add(id);
    }
    return waiting.size === ids.length;
  }, 120_000);
  return ids;
}

test('after kill -9 of the process group, or of npm start alone, nothing of it runs on, and a restart on the same data finishes every run in flight', async () => {
  const { env: ports, apiPort, devPort, uiPort } = await localPorts();
  const killData = await mkdtemp(path.join(tmpdir(), 'kai-start-kill-'));
  const env = { ...ports, KAI_DATA_DIR: killData };
  const address = `127.0.0.1:${devPort}`;
  const inFlight: string[] = [];
  try {
    for (const kill of ['group', 'supervisor'] as const) {
      const kai = startKai(env);
      await waitForOutput(kai, 'KAI-Fusion is running');
      const roundStarted = Date.now();
      inFlight.push(...(await withClient(address, (client) => runsWaitingOnDelay(client, kill))));
      const tree = kai.look();
      expect(Date.now() - roundStarted).toBeLessThan(DELAY_SECONDS * 1000);
      if (kill === 'group') process.kill(-kai.pid, 'SIGKILL');
      else process.kill((tree.find((info) => info.command.includes('dist/server/start.js')) as ProcessInfo).pid, 'SIGKILL');
      await waitFor(`every process of npm start to be gone after kill -9 of the ${kill}`, () => tree.every((info) => !stillRunning(info)), 30_000);
      for (const port of [apiPort, devPort, uiPort]) expect(await isPortFree(port)).toBe(true);
    }

    const last = startKai(env);
    await waitForOutput(last, 'KAI-Fusion is running');
    const results = await withClient(address, (client) => Promise.all(inFlight.map((id) => client.workflow.getHandle(id).result())));
    expect(results).toEqual(inFlight.map(() => ({ output: { done: true }, endNodeIds: ['end'] })));
    expect(await last.terminate()).toBe(0);
  } finally {
    await rm(killData, { recursive: true, force: true });
  }
}, 900_000);

test('with TEMPORAL_ADDRESS set, npm start uses that server and starts no dev server of its own', async () => {
  const { address, bundlePath } = testEnv();
  const [apiPort, uiPort] = [await unusedPort(), await unusedPort()];
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
}, 300_000);

test('when the dev server dies, npm start stops everything and exits 1 naming it', async () => {
  const { env: ports, apiPort } = await localPorts();
  const kai = startKai({ ...ports, KAI_DATA_DIR: dataDir });
  await waitForOutput(kai, 'KAI-Fusion is running');
  const temporal = kai.look().find((info) => info.command.includes('temporal server start-dev')) as ProcessInfo;
  process.kill(temporal.pid, 'SIGKILL');
  expect(await kai.exit).toBe(1);
  expect(kai.output()).toMatch(/\[kai\] the Temporal dev server \(SIGKILL\) stopped unexpectedly; stopping everything/);
  await waitFor('every process of npm start to exit', () => kai.seen().every((info) => !stillRunning(info)), 60_000);
  expect(await isPortFree(apiPort)).toBe(true);
}, 300_000);

test('when Temporal cannot be reached, npm start exits 1 naming it', async () => {
  const temporalAddress = `127.0.0.1:${await unusedPort()}`;
  const kai = startKai({ PORT: String(await unusedPort()), TEMPORAL_ADDRESS: temporalAddress, KAI_DATA_DIR: dataDir });
  expect(await kai.exit).toBe(1);
  expect(kai.output()).toContain(`could not connect to Temporal at ${temporalAddress}`);
}, 300_000);

test('a bad configuration value stops npm start with the variable named, before anything starts', async () => {
  const kai = startKai({ PORT: 'eighty', KAI_DATA_DIR: dataDir });
  expect(await kai.exit).toBe(1);
  expect(kai.output()).toMatch(/invalid configuration:\s+PORT: /);
  expect(kai.output()).not.toContain('starting the Temporal dev server');
}, 120_000);

/** The README's first-session walkthrough, exactly as written there (the ```bash walkthrough block). */
function readmeWalkthrough(): string {
  const readme = readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
  const block = /```bash walkthrough\n([\s\S]*?)```/.exec(readme);
  if (!block) throw new Error('README.md has no ```bash walkthrough block');
  return block[1];
}

test("the README's REST walkthrough works against npm start, command for command", async () => {
  const { env: ports, apiPort, uiPort } = await localPorts();
  const walkthroughData = await mkdtemp(path.join(tmpdir(), 'kai-walkthrough-'));
  // As the README says to start it: the example run calls the API's own /health on loopback.
  const kai = startKai({ ...ports, KAI_DATA_DIR: walkthroughData, KAI_OUTBOUND_ALLOW: 'localhost' });
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
}, 600_000);
