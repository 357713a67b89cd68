import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client, Connection, WorkflowFailedError } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import type { GraphInput } from '../engine/graph';
import { startDevServer } from '../platform/dev-server';
import { startRun, type RunHandle } from '../platform/start-run';
import { ensureTemporalCli } from '../platform/temporal-cli';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import type { CredentialResolver } from '../activities/credential-kinds';
import { planRun } from '../activities/plan-run';
import type { WorkflowPlanSource } from '../activities/services/workflow-plan-source';
import { sendJson, startHttpFixture, type HttpFixture } from '../test/http-fixture';
import { startOpenAiCompatibleServer, type OpenAiCompatibleServer } from '../test/openai-compatible-server';
import { quietRuntime } from '../test/temporal-harness';
import { decideApprovalUpdate, runStateQuery } from '../workflows/messages';
import { createWorker } from '../worker/create-worker';
import { graphEdge as edge, graphNode as node } from '../test/graph-builders';

/**
 * Records one history per representative graph into workflows/histories, which workflows/replay.test.ts replays
 * against the current interpreter. Re-record only on purpose: a history that stops replaying means old runs would
 * break, so the fix is usually `patched()`, not a new recording. Name recordings to record only those (a new one).
 *
 *   npx tsx scripts/record-histories.ts [name…]
 */

const HISTORIES_DIR = path.resolve(__dirname, '..', 'workflows', 'histories');

interface Recording {
  name: string;
  graph: GraphInput;
  inputs?: Record<string, unknown>;
  /** 'in flight': the history is taken once `drive` has returned, as a worker restarted mid-run would replay it. */
  outcome: 'succeeded' | 'failed' | 'in flight';
  /** What a person does while the run is going, e.g. deciding an approval. */
  drive?: (handle: RunHandle) => Promise<void>;
  /** Set up before the run starts, e.g. the model's scripted replies. */
  prepare?: () => void;
  /** The run's workspace, for nodes that call published workflows. */
  workspaceId?: string;
  /** Child runs recorded too, by the suffix of their workflow id (`<name>.<suffix>.json`): a For Each's chunks. */
  children?: string[];
}

/** The workflow a For Each recording calls per item: an HTTP call (an activity in the chunk) and a Set (inline). */
const ITEM_WORKFLOW_ID = '00000000-0000-4000-8000-00000000f0e1';

function itemGraph(http: HttpFixture): GraphInput {
  return {
    nodes: [
      node('start', 'start'),
      node('fetch', 'http-request', { url: `${http.url}/echo`, query: { branch: '{{ input.item }}' } }),
      node('shape', 'set', { values: { item: '{{ input.item }}', echoed: '{{ nodes.fetch.output.body.branch }}' } }),
      node('end', 'end'),
    ],
    edges: [edge('start', 'fetch'), edge('fetch', 'shape'), edge('shape', 'end')],
  };
}

/** The published workflows the recordings call, planned as the worker's database would plan them. */
function publishedWorkflows(http: HttpFixture): WorkflowPlanSource {
  return {
    planPublished: async (_workspaceId, workflowId) => {
      if (workflowId !== ITEM_WORKFLOW_ID) throw new Error(`no recorded workflow ${workflowId}`);
      return { plan: planRun(itemGraph(http)), workflowId, version: 1 };
    },
  };
}

/** The one credential the recordings use: the local OpenAI-compatible server's. */
function localModelCredential(openai: OpenAiCompatibleServer): CredentialResolver {
  return { resolve: async (_workspaceId, id) => ({ id, name: 'Local model', kind: 'openai', data: { apiKey: openai.apiKey, baseUrl: openai.baseUrl } }) };
}

function recordings(http: HttpFixture, openai: OpenAiCompatibleServer): Recording[] {
  return [
    {
      name: 'linear-http-set-templates',
      outcome: 'succeeded',
      inputs: { topic: 'temporal' },
      graph: {
        nodes: [
          node('start', 'start'),
          node('fetch', 'http-request', { url: `${http.url}/article`, query: { q: '{{ input.topic }}' } }),
          node('shape', 'set', { values: { title: '{{ nodes.fetch.output.body.title }}', line: 'About {{ input.topic }}: {{ incoming.in.status }}' } }),
          node('end', 'end'),
        ],
        edges: [edge('start', 'fetch'), edge('fetch', 'shape'), edge('shape', 'end')],
      },
    },
    {
      name: 'condition-skipped-branch',
      outcome: 'succeeded',
      inputs: { score: 80 },
      graph: {
        nodes: [
          node('start', 'start'),
          node('check', 'condition', { rules: [{ left: '{{ input.score }}', operator: 'greaterThan', right: 50 }] }),
          node('high', 'set', { values: { verdict: 'high' } }),
          node('low', 'set', { values: { verdict: 'low' } }),
          node('end', 'end'),
        ],
        edges: [edge('start', 'check'), edge('check', 'high', 'true'), edge('check', 'low', 'false'), edge('high', 'end'), edge('low', 'end')],
      },
    },
    {
      name: 'parallel-join',
      outcome: 'succeeded',
      graph: {
        nodes: [
          node('start', 'start'),
          node('left', 'http-request', { url: `${http.url}/echo`, query: { branch: 'left' } }),
          node('right', 'http-request', { url: `${http.url}/echo`, query: { branch: 'right' } }),
          node('join', 'set', { values: { left: '{{ nodes.left.output.body.branch }}', right: '{{ nodes.right.output.body.branch }}' } }),
          node('end', 'end'),
        ],
        edges: [edge('start', 'left'), edge('start', 'right'), edge('left', 'join'), edge('right', 'join'), edge('join', 'end')],
      },
    },
    {
      name: 'retried-node',
      outcome: 'succeeded',
      graph: {
        nodes: [node('start', 'start'), node('flaky', 'http-request', { url: `${http.url}/flaky` }, { retry: { maximumAttempts: 4, initialInterval: '100ms', backoffCoefficient: 1 } }), node('end', 'end')],
        edges: [edge('start', 'flaky'), edge('flaky', 'end')],
      },
    },
    {
      name: 'continue-on-error',
      outcome: 'succeeded',
      graph: {
        nodes: [
          node('start', 'start'),
          node('missing', 'http-request', { url: `${http.url}/gone` }, { continueOnError: true }),
          node('end', 'end', { value: '{{ nodes.missing.output.error.type }}' }),
        ],
        edges: [edge('start', 'missing'), edge('missing', 'end')],
      },
    },
    {
      name: 'failing-node',
      outcome: 'failed',
      graph: {
        nodes: [node('start', 'start'), node('missing', 'http-request', { url: `${http.url}/gone` }), node('end', 'end')],
        edges: [edge('start', 'missing'), edge('missing', 'end')],
      },
    },
    {
      name: 'delay',
      outcome: 'succeeded',
      inputs: { note: 'later' },
      graph: {
        nodes: [node('start', 'start'), node('wait', 'delay', { duration: '1s' }), node('end', 'end')],
        edges: [edge('start', 'wait'), edge('wait', 'end')],
      },
    },
    {
      name: 'approval-decided',
      outcome: 'succeeded',
      inputs: { amount: 120 },
      graph: approvalGraph({ message: 'Refund {{ input.amount }}?' }),
      async drive(handle) {
        await waitUntil(async () => (await handle.query(runStateQuery)).nodes.approve.status === 'waiting');
        await handle.executeUpdate(decideApprovalUpdate, { args: [{ nodeId: 'approve', approved: true, by: 'recorder', data: { note: 'ok' } }] });
      },
    },
    {
      // Recorded before Condition compared numbers strictly: the missing amount took the true branch then.
      name: 'condition-missing-amount-in-flight',
      outcome: 'in flight',
      inputs: {},
      graph: {
        nodes: [
          node('start', 'start'),
          node('check', 'condition', { rules: [{ left: '{{ input.amount }}', operator: 'greaterThanOrEqual', right: 1000 }] }),
          node('review', 'http-request', { url: `${http.url}/article` }),
          node('wait', 'delay', { duration: '1h' }),
          node('end', 'end'),
        ],
        edges: [edge('start', 'check'), edge('check', 'review', 'true'), edge('check', 'end', 'false'), edge('review', 'wait'), edge('wait', 'end')],
      },
      async drive(handle) {
        await waitUntil(async () => (await handle.query(runStateQuery)).nodes.wait.status === 'waiting');
      },
    },
    {
      name: 'approval-timeout',
      outcome: 'succeeded',
      graph: approvalGraph({ message: 'Anyone?', timeout: '1s' }),
    },
    {
      // Set, Start and End computed by the workflow: no activity in the history (engine/pure-nodes.ts).
      name: 'pure-nodes-in-workflow',
      outcome: 'succeeded',
      inputs: { name: 'Ada' },
      graph: {
        nodes: [
          node('start', 'start'),
          node('greet', 'set', { values: { text: 'hi {{ input.name }}' } }),
          node('count', 'set', { values: { letters: '{{ input.name }}' } }),
          node('join', 'set', { values: { greeting: '{{ nodes.greet.output.text }}', seen: true }, mode: 'merge' }),
          node('end', 'end'),
        ],
        edges: [edge('start', 'greet'), edge('start', 'count'), edge('greet', 'join'), edge('count', 'join'), edge('join', 'end')],
      },
    },
    {
      // JSONata expressions beside plain templates, a Transform on a parallel branch, and an activity whose input
      // comes from an expression: recorded when evaluation awaited (JSONata 2.x), it replays unchanged now that it is
      // synchronous, and catches any change to where evaluation sits among the commands.
      name: 'expressions-transform',
      outcome: 'succeeded',
      inputs: { topic: 'temporal', tags: ['a', 'b'], items: [{ price: 2 }, { price: 5 }] },
      graph: {
        nodes: [
          node('start', 'start'),
          node('fields', 'set', { values: { topic: '{{= $uppercase($input.topic) }}', tags: '{{= $count($input.tags) }}', plain: '{{ input.topic }}' } }),
          node('totals', 'transform', { expression: '{ "sum": $sum($input.items.price), "when": $millis() }' }),
          node('fetch', 'http-request', { url: `${http.url}/article`, query: { q: '{{= $lowercase($nodes.fields.output.topic) & "-" & $string($nodes.totals.output.sum) }}' } }),
          node('end', 'end', { value: { title: '{{ nodes.fetch.output.body.title }}', line: '{{= $nodes.fields.output.topic }} has {{= $nodes.fields.output.tags }} tags' } }),
        ],
        edges: [edge('start', 'fields'), edge('start', 'totals'), edge('fields', 'fetch'), edge('totals', 'fetch'), edge('fetch', 'end')],
      },
    },
    {
      name: 'agent-tools',
      outcome: 'succeeded',
      inputs: { question: 'What is the article called?' },
      graph: {
        nodes: [
          node('start', 'start'),
          node('agent', 'agent', { credentialId: 'local-model', model: 'local', prompt: '{{ input.question }}' }),
          { ...node('article', 'http-request', { url: `${http.url}/article` }), label: 'Article' },
          { ...node('gone', 'http-request', { url: `${http.url}/gone` }), label: 'Gone' },
          node('end', 'end'),
        ],
        edges: [edge('start', 'agent', undefined, 'in'), edge('article', 'agent', undefined, 'tools'), edge('gone', 'agent', undefined, 'tools'), edge('agent', 'end')],
      },
      prepare() {
        openai.enqueueChat({ toolCalls: [{ name: 'Article', arguments: {} }, { name: 'Gone', arguments: {} }] }, { content: 'It is called Durable AI.' });
      },
    },
    {
      name: 'for-each',
      outcome: 'succeeded',
      inputs: { list: ['a', 'b', 'c', 'd', 'e'] },
      workspaceId: '00000000-0000-4000-8000-0000000000aa',
      children: ['loop.1'],
      graph: {
        nodes: [node('start', 'start'), node('loop', 'for-each', { workflowId: ITEM_WORKFLOW_ID, items: '{{ input.list }}', concurrency: 2 }), node('end', 'end')],
        edges: [edge('start', 'loop'), edge('loop', 'end')],
      },
    },
  ];
}

/** Approval whose approved, rejected and timeout handles each lead through a Set to one End. */
function approvalGraph(config: Record<string, unknown>): GraphInput {
  const handles = ['approved', 'rejected', 'timeout'];
  return {
    nodes: [
      node('start', 'start'),
      node('approve', 'approval', config),
      ...handles.map((handle) => node(`on_${handle}`, 'set', { values: { outcome: handle, by: '{{ nodes.approve.output.by }}' } })),
      node('end', 'end'),
    ],
    edges: [edge('start', 'approve'), ...handles.flatMap((handle) => [edge('approve', `on_${handle}`, handle), edge(`on_${handle}`, 'end')])],
  };
}

function routeFixture(http: HttpFixture): void {
  http.route('/article', (_req, res) => sendJson(res, 200, { title: 'Durable AI' }));
  http.route('/echo', (req, res) => sendJson(res, 200, { branch: new URL(req.url ?? '', 'http://x').searchParams.get('branch') }));
  http.route('/flaky', (_req, res, hit) => sendJson(res, hit <= 2 ? 503 : 200, { hit }));
}

async function waitUntil(check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function record(client: Client, taskQueue: string, recording: Recording): Promise<string> {
  recording.prepare?.();
  const handle = await startRun(client, { graph: recording.graph, inputs: recording.inputs, taskQueue, meta: { trigger: 'test', workspaceId: recording.workspaceId }, runId: `history-${recording.name}` });
  await recording.drive?.(handle);
  const inFlight = recording.outcome === 'in flight';
  const outcome = inFlight
    ? 'in flight'
    : await handle.result().then(
        () => 'succeeded',
        (error: unknown) => {
          if (error instanceof WorkflowFailedError) return `failed (${error.cause?.message})`;
          throw error;
        },
      );
  if (outcome !== recording.outcome) throw new Error(`run "${recording.name}" ${outcome}, expected it to have ${recording.outcome}`);
  const file = path.join(HISTORIES_DIR, `${recording.name}.json`);
  await writeFile(file, `${historyToJSON(await handle.fetchHistory())}\n`);
  for (const child of recording.children ?? []) {
    const childHistory = await client.workflow.getHandle(`${handle.workflowId}.${child}`).fetchHistory();
    await writeFile(path.join(HISTORIES_DIR, `${recording.name}.${child}.json`), `${historyToJSON(childHistory)}\n`);
  }
  if (inFlight) await handle.terminate('recorded in flight');
  return file;
}

async function main(): Promise<void> {
  // Some recordings fail nodes on purpose, and the SDK logs every activity and workflow failure at WARN.
  quietRuntime('ERROR');
  const workDir = await mkdtemp(path.join(tmpdir(), 'kai-record-'));
  const server = await startDevServer({ cliPath: await ensureTemporalCli(), port: 0 });
  const http = await startHttpFixture();
  const openai = await startOpenAiCompatibleServer();
  const only = new Set(process.argv.slice(2));
  try {
    routeFixture(http);
    const taskQueue = `record-${randomUUID()}`;
    const workerConnection = await NativeConnection.connect({ address: server.address });
    const client = new Client({ connection: await Connection.connect({ address: server.address }) });
    try {
      const worker = await createWorker({ connection: workerConnection, namespace: 'default', taskQueue, outputsDir: path.join(workDir, 'outputs'), inlineOutputLimitBytes: 256 * 1024, outboundAllow: ['127.0.0.1'], credentials: localModelCredential(openai), services: { workflows: publishedWorkflows(http) } });
      await mkdir(HISTORIES_DIR, { recursive: true });
      await worker.runUntil(async () => {
        for (const recording of recordings(http, openai).filter((r) => only.size === 0 || only.has(r.name))) console.log(`recorded ${path.relative(process.cwd(), await record(client, taskQueue, recording))}`);
      });
    } finally {
      await client.connection.close();
      await workerConnection.close();
    }
  } finally {
    await openai.close();
    await http.close();
    await server.stop();
    await rm(workDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
