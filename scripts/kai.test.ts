import { spawn } from 'node:child_process';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { planRun } from '../activities/plan-run';
import { loadConfig } from '../platform/config';
import { freePort } from '../platform/dev-server';
import { KAI_TRIGGER } from '../platform/search-attributes';
import { sendJson, startHttpFixture, type HttpFixture } from '../test/http-fixture';
import { createTemporalHarness, testEnv, type TemporalHarness } from '../test/temporal-harness';
import { webUiLink } from './cli/connect';

const ROOT = path.resolve(__dirname, '..');
const EXAMPLES = path.join(ROOT, 'examples');
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');

let temporal: TemporalHarness;
let http: HttpFixture;

beforeAll(async () => {
  [temporal, http] = await Promise.all([createTemporalHarness(), startHttpFixture()]);
  http.route('/health', (_req, res) => sendJson(res, 200, { status: 'ok', uptime: 12 }));
});
afterAll(async () => {
  await Promise.all([temporal?.close(), http?.close()]);
});

interface KaiProcess {
  /** Resolves with what stdout held once it matches. */
  waitForOutput(pattern: RegExp): Promise<RegExpMatchArray>;
  exited: Promise<{ code: number | null; stdout: string; stderr: string }>;
}

/** The real CLI in its own process, pointed at the test server and at this file's harness worker by default. */
function kai(args: string[], env: Record<string, string> = {}): KaiProcess {
  const child = spawn(TSX, [path.join(ROOT, 'scripts', 'kai.ts'), ...args], {
    cwd: ROOT,
    env: { ...process.env, TEMPORAL_ADDRESS: temporal.address, TEMPORAL_TASK_QUEUE: temporal.taskQueue, TEMPORAL_NAMESPACE: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const watchers: (() => void)[] = [];
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    watchers.forEach((check) => check());
  });
  child.stderr.on('data', (chunk: Buffer) => void (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
  return {
    exited,
    waitForOutput: (pattern) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const match = stdout.match(pattern);
          if (match) resolve(match);
        };
        watchers.push(check);
        check();
        void exited.then(({ code }) => reject(new Error(`kai exited (${code}) before printing ${pattern}:\n${stdout}\n${stderr}`)));
      }),
  };
}

function printedResult(stdout: string): unknown {
  const [, json] = stdout.split(/succeeded; result:\n/);
  return JSON.parse(json);
}

test('every example graph passes planRun', async () => {
  const files = (await readdir(EXAMPLES)).filter((name) => name.endsWith('.json'));
  expect(files.sort()).toEqual(['code-node.json', 'delay-approval.json', 'diamond-condition.json', 'expressions.json', 'linear-http.json', 'map-reduce-summary.json', 'summarise-one.json']);
  for (const file of files) {
    const graph: unknown = JSON.parse(await readFile(path.join(EXAMPLES, file), 'utf8'));
    expect(() => planRun(graph)).not.toThrow();
  }
});

test('the Web UI link points at the local dev server UI, and is left out for a configured cluster', () => {
  const local = loadConfig({ TEMPORAL_UI_PORT: '8299', TEMPORAL_NAMESPACE: 'team a' }).temporal;
  expect(webUiLink(local, 'run-42')).toBe('http://localhost:8299/namespaces/team%20a/workflows/run-42');
  expect(webUiLink(loadConfig({ TEMPORAL_ADDRESS: 'temporal.internal:7233' }).temporal, 'run-42')).toBeUndefined();
});

test('kai validate reports a valid graph with its size', async () => {
  const { code, stdout } = await kai(['validate', 'examples/diamond-condition.json']).exited;
  expect(code).toBe(0);
  expect(stdout.trim()).toBe('valid: 6 nodes, 6 edges');
});

test('kai run follows linear-http.json node by node to its result and exits 0', async () => {
  const url = `${http.url}/health`;
  const hitsBefore = http.hits('/health');
  const { code, stdout, stderr } = await kai(['run', 'examples/linear-http.json', '--input', JSON.stringify({ url })]).exited;
  expect(stderr).toBe('');
  expect(code).toBe(0);

  const runId = stdout.match(/^started run (run-[0-9a-f-]+) \(4 nodes, task queue test-/m)?.[1];
  expect(runId).toBeDefined();
  expect(stdout).not.toContain('Temporal Web UI');
  expect(stdout).toMatch(/^ {2}✓ Start \(start\) succeeded in \d+ ms$/m);
  expect(stdout).toMatch(/^ {2}✓ Fetch URL \(fetch\) succeeded in \d+(\.\d)? m?s$/m);
  expect(stdout).toMatch(/^ {2}✓ Shape response \(shape\) succeeded in /m);
  expect(stdout).toMatch(/^ {2}✓ End \(end\) succeeded in /m);
  expect(stdout.match(/✓ Fetch URL/g)).toHaveLength(1);
  expect(printedResult(stdout)).toEqual({
    url,
    status: 200,
    contentType: 'application/json',
    body: { status: 'ok', uptime: 12 },
    summary: `GET ${url} answered 200 OK`,
  });
  expect(http.hits('/health')).toBe(hitsBefore + 1);

  const description = await temporal.client.workflow.getHandle(runId as string).describe();
  expect(description.status.name).toBe('COMPLETED');
  expect(description.typedSearchAttributes.get(KAI_TRIGGER)).toBe('cli');
});

test('kai run prints the failing node and its error, and exits 1 when the run fails', async () => {
  const url = `${http.url}/missing`;
  const { code, stdout, stderr } = await kai(['run', 'examples/linear-http.json', '--input', JSON.stringify({ url })]).exited;
  expect(code).toBe(1);
  expect(stdout).toMatch(/^ {2}✗ Fetch URL \(fetch\) failed in \d+(\.\d)? m?s: GET http:\/\/127\.0\.0\.1:\d+\/missing answered 404 Not Found$/m);
  expect(stdout).toMatch(/^ {2}- Shape response \(shape\) not run: the run ended before it$/m);
  expect(stderr.trim()).toMatch(/^run run-[0-9a-f-]+ failed: node "Fetch URL" \(fetch\) failed: GET http:\/\/127\.0\.0\.1:\d+\/missing answered 404 Not Found$/);
});

test('an invalid graph exits 2 listing every problem, without ever contacting Temporal', async () => {
  const file = path.join(testEnv().dir, 'invalid-graph.json');
  await writeFile(
    file,
    JSON.stringify({
      nodes: [
        { id: 'start', type: 'start', version: 1 },
        { id: 'fetch', type: 'http-request', version: 1, data: { config: { url: 'ftp://example.com' } } },
        { id: 'mystery', type: 'teleport', version: 1 },
        { id: 'orphan', type: 'set', version: 1, data: { config: { values: {} } } },
      ],
      edges: [
        { id: 'e1', source: 'start', target: 'fetch' },
        { id: 'e2', source: 'fetch', target: 'nowhere' },
      ],
    }),
  );
  // Nothing listens there: had the CLI tried to connect, it would exit 1 with a connection error instead.
  const unreachable = `127.0.0.1:${await freePort()}`;
  const { code, stdout, stderr } = await kai(['run', file, '--input', '{}'], { TEMPORAL_ADDRESS: unreachable }).exited;
  expect(code).toBe(2);
  expect(stdout).toBe('');
  expect(stderr.trim().split('\n')).toEqual([
    `kai: ${file} is not a valid graph (4 problems):`,
    '  nodes.fetch.data.config.url: must be an http:// or https:// URL',
    expect.stringMatching(/^ {2}nodes\.mystery\.type: unknown node type "teleport" \(known: .*\)$/),
    '  edges.e2.target: no node "nowhere"',
    '  nodes.orphan: node "orphan" cannot be reached from any entry node: connect it or remove it',
  ]);
});

test('a graph file that is not JSON is named in the error and exits 2', async () => {
  const file = path.join(testEnv().dir, 'broken.json');
  await writeFile(file, '{ "nodes": [');
  const { code, stderr } = await kai(['validate', file]).exited;
  expect(code).toBe(2);
  expect(stderr).toContain(`${file} is not valid JSON`);
});

test('bad usage prints the usage and exits 2; --help prints it and exits 0', async () => {
  const [missingFile, unknownOption, help] = await Promise.all([
    kai(['run']).exited,
    kai(['approve', 'run-1', 'review', '--colour', 'red']).exited,
    kai(['--help']).exited,
  ]);
  expect(missingFile.code).toBe(2);
  expect(missingFile.stderr).toContain('kai: expected <graph.json>, got nothing');
  expect(missingFile.stderr).toContain('Usage: npm run kai -- <command>');
  expect(unknownOption.code).toBe(2);
  expect(unknownOption.stderr).toContain("Unknown option '--colour'");
  expect(help.code).toBe(0);
  expect(help.stdout).toContain('Usage: npm run kai -- <command>');
});

test('without a reachable dev server kai run says so, suggests npm start, and exits 1', async () => {
  const { code, stdout, stderr } = await kai(['run', 'examples/diamond-condition.json', '--input', '{"amount":1}'], {
    TEMPORAL_ADDRESS: '',
    TEMPORAL_DEV_PORT: String(await freePort()),
  }).exited;
  expect(code).toBe(1);
  expect(stdout).toBe('');
  expect(stderr).toMatch(/^kai: cannot connect to Temporal at 127\.0\.0\.1:\d+: /);
  expect(stderr).toContain('Start it with `npm start`');
}, 30_000);

test('delay-approval.json waits for a decision that `kai approve` from another process gives', async () => {
  const run = kai(['run', 'examples/delay-approval.json', '--input', '{"title":"Q3 report"}']);
  const [, runId] = await run.waitForOutput(/^ {6}approve: npm run kai -- approve (run-[0-9a-f-]+) review$/m);
  const beforeDecision = await run.waitForOutput(/[^]*reject: {2}npm run kai -- reject \S+ review\n/);
  expect(beforeDecision[0]).toMatch(/⏸ Wait 3 seconds \(coolOff\) waiting on a durable timer/);
  expect(beforeDecision[0]).toMatch(/✓ Wait 3 seconds \(coolOff\) succeeded in 3\.\d s/);
  expect(beforeDecision[0]).toContain('⏸ Approve publishing (review) is waiting for a decision (times out after 1h)');

  const [wrongNode, status] = await Promise.all([kai(['approve', runId, 'coolOff']).exited, kai(['status', runId]).exited]);
  expect(wrongNode.code).toBe(1);
  expect(wrongNode.stderr.trim()).toBe('kai: refused: no Approval node "coolOff" in this run');
  expect(status.code).toBe(0);
  expect(status.stdout).toMatch(new RegExp(`^run ${runId}: RUNNING `));
  expect(status.stdout).toContain('⏸ Approve publishing (review) is waiting for a decision');
  expect(status.stdout).toContain('· Publish (publish) pending');

  const approve = await kai(['approve', runId, 'review', '--data', '{"channel":"blog"}', '--comment', 'ship it', '--by', 'ana']).exited;
  expect(approve).toMatchObject({ code: 0, stderr: '' });
  expect(approve.stdout.trim()).toBe(`approved node review of run ${runId}`);

  const finished = await run.exited;
  expect(finished.code).toBe(0);
  expect(finished.stdout).toMatch(/✓ Approve publishing \(review\) succeeded in .* → approved/);
  expect(finished.stdout).toMatch(/- Discard \(discard\) skipped/);
  expect(finished.stdout).toMatch(/- Escalate \(escalate\) skipped/);
  expect(printedResult(finished.stdout)).toEqual({ outcome: 'published', title: 'Q3 report', approvedBy: 'ana', channel: 'blog', comment: 'ship it' });

  const again = await kai(['approve', runId, 'review']).exited;
  expect(again.code).toBe(1);
  expect(again.stderr).toContain('kai: refused:');
}, 90_000);
