import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from '../platform/dev-server';
import { createApiHarness, type ApiHarness } from '../test/api-harness';
import { startApiProcess, type ApiProcess } from '../test/api-process';
import { graphEdge, graphNode } from '../test/graph-builders';
import { testEnv } from '../test/temporal-harness';
import { jsonCaller } from '../test/json-call';

/**
 * SIGTERM to the real API process (api/main.ts), as a deploy sends it: open event streams are told the server is
 * going away (`event: shutdown`, so clients reconnect elsewhere with Last-Event-ID) and ended, and the process
 * exits 0 well within its grace time, while the run it was streaming goes on in Temporal untouched.
 */

let api: ApiHarness;
let dataDir: string;
let apiProcess: ApiProcess | undefined;

beforeAll(async () => {
  api = await createApiHarness();
  dataDir = await mkdtemp(path.join(tmpdir(), 'kai-api-shutdown-'));
}, 120_000);
afterAll(async () => {
  await apiProcess?.stop();
  await api?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

test('SIGTERM: open event streams get `event: shutdown` and end, the process exits 0, the run goes on', async () => {
  apiProcess = await startApiProcess({
    databaseUrl: api.database.url,
    temporalAddress: testEnv().address,
    taskQueue: api.temporal.taskQueue,
    port: await freePort(),
    encryptionKey: api.services.encryptionKey.bytes.toString('base64'),
    jwtSecret: randomBytes(32).toString('hex'),
    dataDir,
  });
  const base = `${apiProcess.url}/api/v1`;
  const call = jsonCaller(base);
  const { accessToken } = await call<{ accessToken: string }>('POST', '/auth/signup', undefined, { email: 'shutdown@example.com', password: 'correct horse battery' });
  const graph = {
    nodes: [graphNode('start', 'start'), graphNode('review', 'approval', { message: 'Go on?' }), graphNode('end', 'end')],
    edges: [graphEdge('start', 'review'), graphEdge('review', 'end', 'approved')],
  };
  const workflow = await call<{ id: string }>('POST', '/workflows', accessToken, { name: 'Waits for approval', graph });
  await call('POST', `/workflows/${workflow.id}/versions`, accessToken);
  const run = await call<{ id: string }>('POST', `/workflows/${workflow.id}/runs`, accessToken, { inputs: {} });

  const stream = await fetch(`${base}/runs/${run.id}/events`, { headers: { authorization: `Bearer ${accessToken}` } });
  expect(stream.status).toBe(200);
  const reader = (stream.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let received = '';
  // The run is waiting at the approval before the API is stopped, so the stream is live rather than replaying.
  while (!received.includes('"review"')) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`the stream ended before the run reached its approval:\n${received}`);
    received += decoder.decode(value, { stream: true });
  }
  const readToEnd = (async () => {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      received += decoder.decode(value, { stream: true });
    }
  })();

  const { temporal } = await call<{ temporal: { workflowId: string } }>('GET', `/runs/${run.id}`, accessToken);
  const exit = await apiProcess.stop();
  // A stream the server had to cut (its close grace over) fails the read as terminated; only one it ended resolves.
  await readToEnd;

  expect(exit).toEqual({ code: 0, signal: null });
  expect(received).toContain('event: shutdown');
  const description = await api.temporal.client.workflow.getHandle(temporal.workflowId).describe();
  expect(description.status.name).toBe('RUNNING');
}, 120_000);
