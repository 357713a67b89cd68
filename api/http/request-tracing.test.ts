import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import pino from 'pino';
import { createTestDatabase, type TestDatabase } from '../../db/test-database';
import { tracingClientInterceptors, workerTracingPlugin, WORKFLOW_TRACING_MODULES } from '../../platform/tracing/temporal-tracing';
import { startTracing, traceIdsMixin, type Tracing } from '../../platform/tracing/tracing';
import { serveApiApp, type ApiApp } from '../../test/api-harness';
import { graphEdge, graphNode } from '../../test/graph-builders';
import { serveOnLoopback, type LoopbackServer } from '../../test/loopback-server';
import { createTemporalHarness, quietRuntime, testEnv, type TemporalHarness } from '../../test/temporal-harness';
import { bundleWorkflows } from '../../worker/bundle-workflows';
import { WORKFLOWS_PATH } from '../../worker/create-worker';

interface ExportedSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
}

/** A local OTLP/HTTP collector: the JSON exporter posts `{ resourceSpans: [{ scopeSpans: [{ spans }] }] }`. */
const received: ExportedSpan[] = [];
function collectSpans(request: IncomingMessage, response: ServerResponse): void {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    if (request.url === '/v1/traces') {
      const body = JSON.parse(Buffer.concat(chunks).toString()) as { resourceSpans: { scopeSpans: { spans: ExportedSpan[] }[] }[] };
      for (const resource of body.resourceSpans) for (const scope of resource.scopeSpans) received.push(...scope.spans);
    }
    response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
}

let tracing: Tracing;
let database: TestDatabase;
let temporal: TemporalHarness;
let collector: LoopbackServer | undefined;
let api: ApiApp;
const logs: string[] = [];

beforeAll(async () => {
  quietRuntime();
  collector = await serveOnLoopback(collectSpans);
  tracing = startTracing({ serviceName: 'kai-test', endpoint: collector.url });
  const taskQueue = `tracing-${randomBytes(4).toString('hex')}`;
  // The shared test bundle has no tracing interceptors: this one does, as a traced deployment's bundle must.
  const [bundle, db] = await Promise.all([bundleWorkflows(path.join(testEnv().dir, `${taskQueue}.js`), WORKFLOWS_PATH, WORKFLOW_TRACING_MODULES), createTestDatabase()]);
  database = db;
  temporal = await createTemporalHarness({
    taskQueue,
    workflowBundlePath: bundle,
    workerPlugins: [workerTracingPlugin(tracing)],
    clientInterceptors: { workflow: tracingClientInterceptors() },
  });
  const logger = pino({ level: 'info', mixin: traceIdsMixin }, { write: (line: string) => void logs.push(line) });
  api = await serveApiApp({ orm: database.orm, temporal, logger });
}, 120_000);

afterAll(async () => {
  await api?.close();
  await temporal?.close();
  await database?.close();
  await tracing?.shutdown();
  await collector?.close();
});

async function call(method: string, route: string, token?: string, body?: unknown): Promise<{ status: number; body: { id: string; accessToken: string } }> {
  const response = await fetch(`${api.url}${route}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json().catch(() => ({}))) as { id: string; accessToken: string } };
}

test('one trace covers the API request that started a run, the workflow and every node activity; its logs name it', async () => {
  const signedUp = await call('POST', '/api/v1/auth/signup', undefined, { email: `trace-${randomBytes(3).toString('hex')}@example.com`, password: 'correct horse battery staple' });
  const token = signedUp.body.accessToken;
  const graph = {
    // Text Splitters, not Sets: the workflow computes pure nodes itself, and this trace is about node activities.
    nodes: [graphNode('start', 'start'), graphNode('first', 'text-splitter', {}), graphNode('second', 'text-splitter', {}), graphNode('end', 'end')],
    edges: [graphEdge('start', 'first'), graphEdge('first', 'second'), graphEdge('second', 'end')],
  };
  const workflow = await call('POST', '/api/v1/workflows', token, { name: 'traced', graph });
  await call('POST', `/api/v1/workflows/${workflow.body.id}/versions`, token);
  const started = await call('POST', `/api/v1/workflows/${workflow.body.id}/runs`, token, { inputs: { documents: [{ id: 'note', text: 'traced text', metadata: {} }] } });
  expect(started.status).toBe(202);
  await temporal.client.workflow.getHandle(started.body.id).result();

  const requestSpanName = 'POST /api/v1/workflows/:workflowId/runs';
  const traceOf = () => received.find((span) => span.name === requestSpanName)?.traceId;
  const inTrace = () => received.filter((span) => span.traceId === traceOf());
  const deadline = Date.now() + 30_000;
  while (inTrace().filter((span) => span.name === 'RunActivity:text-splitter@1').length < 2 || !inTrace().some((span) => span.name === 'RunWorkflow:interpretGraph')) {
    if (Date.now() > deadline) throw new Error(`spans never arrived: ${JSON.stringify(received.map((span) => [span.traceId, span.name]))}`);
    await tracing.spanProcessor.forceFlush();
    await new Promise((resolve) => setTimeout(resolve, 200));
  }

  const names = inTrace().map((span) => span.name);
  expect(names).toEqual(expect.arrayContaining([requestSpanName, 'StartWorkflow:interpretGraph', 'RunWorkflow:interpretGraph', 'StartActivity:text-splitter@1', 'RunActivity:text-splitter@1']));
  expect(names.filter((name) => name === 'RunActivity:text-splitter@1')).toHaveLength(2);
  const request = inTrace().find((span) => span.name === requestSpanName) as ExportedSpan;
  expect(request.parentSpanId ?? '').toBe('');
  const runLines = logs.map((line) => JSON.parse(line) as { traceId?: string; route?: string }).filter((line) => line.route === '/api/v1/workflows/:workflowId/runs');
  expect(runLines.length).toBeGreaterThan(0);
  expect(runLines.every((line) => line.traceId === traceOf())).toBe(true);
}, 90_000);
