import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Run } from '../../db/entities';
import { freePort } from '../../platform/dev-server';
import { KAI_WORKFLOW_ID } from '../../platform/search-attributes';
import { createApiHarness, type ApiHarness } from '../../test/api-harness';
import { startApiProcess, type ApiProcess } from '../../test/api-process';
import { testEnv } from '../../test/temporal-harness';
import { echoGraph, publishGraph } from '../../test/webhook-fixture';
import { runIdForKey } from './start-delivery-run';

const DELIVERIES = 300;
/** One delivery every this many ms: the kill lands mid-stream, and the stream goes on while the API restarts. */
const SPACING_MS = 30;
const KILL_AT = 100;
/** If the API is not back by this delivery, sending waits for it, so some deliveries surely reach the new process. */
const RESTARTED_BY = 250;

let api: ApiHarness;
let dataDir: string;
let apiProcess: ApiProcess | undefined;

beforeAll(async () => {
  api = await createApiHarness();
  dataDir = await mkdtemp(path.join(tmpdir(), 'kai-api-process-'));
}, 120_000);
afterAll(async () => {
  await apiProcess?.stop();
  await api?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

interface Attempt {
  status?: number;
  runId?: string;
  replayed: boolean;
  failure?: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test('SIGKILLing the API mid-stream loses no accepted delivery, and re-sent deliveries start no second run', async () => {
  const owner = await api.signUp('kill');
  const { workflowId, hooks } = await publishGraph(api.services, owner, echoGraph({ authMode: 'token', rateLimitPerMinute: 100_000 }));
  const hook = hooks.hook;
  const port = await freePort();
  const start = () =>
    startApiProcess({
      databaseUrl: api.database.url,
      temporalAddress: testEnv().address,
      taskQueue: api.temporal.taskQueue,
      port,
      encryptionKey: api.services.encryptionKey.bytes.toString('base64'),
      jwtSecret: randomBytes(32).toString('hex'),
      dataDir,
    });
  apiProcess = await start();
  const url = `${apiProcess.url}/api/webhooks/${hook.id}`;

  const send = async (i: number): Promise<Attempt> => {
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { authorization: `Bearer ${hook.secret}`, 'content-type': 'application/json', 'idempotency-key': `delivery-${i}` },
        body: JSON.stringify({ i }),
      });
      const body = (await response.json()) as { runId?: string };
      return { status: response.status, runId: body.runId, replayed: response.headers.get('idempotent-replayed') === 'true' };
    } catch (error) {
      return { replayed: false, failure: String((error as Error).cause ?? error) };
    }
  };
  const accepted = (attempt: Attempt) => attempt.status !== undefined && attempt.status >= 200 && attempt.status < 300;

  // Deliveries go out on a fixed schedule, whatever happens to earlier ones, as independent senders would send them.
  let restarted: Promise<void> = Promise.resolve();
  let due = performance.now();
  const pending: Promise<Attempt>[] = [];
  for (let i = 0; i < DELIVERIES; i++) {
    await sleep(Math.max(0, due - performance.now()));
    if (i === KILL_AT) {
      const killed = apiProcess;
      restarted = killed.kill().then(async () => {
        apiProcess = await start();
      });
    }
    if (i === RESTARTED_BY) {
      await restarted;
      due = performance.now();
    }
    pending.push(send(i));
    due += SPACING_MS;
  }
  const first = await Promise.all(pending);

  const firstAccepted = first.filter(accepted);
  const refused = first.flatMap((attempt, i) => (accepted(attempt) ? [] : [i]));
  // The kill must really have cost deliveries, and the API must have taken some before and after it.
  expect(refused.length).toBeGreaterThan(0);
  expect(first.slice(0, KILL_AT).some(accepted)).toBe(true);
  expect(first.slice(KILL_AT).some(accepted)).toBe(true);
  for (const i of refused) expect(first[i].status === undefined || first[i].status === 503).toBe(true);

  const resent = await Promise.all(refused.map(send));
  expect(resent.filter((attempt) => !accepted(attempt))).toEqual([]);
  const answers = first.map((attempt, i) => (accepted(attempt) ? attempt : resent[refused.indexOf(i)]));
  const runIds = answers.map((attempt) => attempt.runId);
  expect(runIds).toEqual(Array.from({ length: DELIVERIES }, (_, i) => runIdForKey(hook.id, `delivery-${i}`)));

  // Once more, everything: every key finds its run.
  const again = await Promise.all(Array.from({ length: DELIVERIES }, (_, i) => send(i)));
  expect(again.map((attempt) => attempt.runId)).toEqual(runIds);
  expect(again.every((attempt) => attempt.status === 202 && attempt.replayed)).toBe(true);

  // Exactly one execution per key in Temporal, each run with its own delivery, and one Run row per key.
  const results = await Promise.all(runIds.map((runId) => api.temporal.client.workflow.getHandle(runId as string).result()));
  expect(results.map((result) => (result.output as { body: { i: number } }).body.i)).toEqual(Array.from({ length: DELIVERIES }, (_, i) => i));
  const executions = await listExecutions(workflowId, DELIVERIES);
  expect(executions.sort()).toEqual([...runIds].sort());
  const rows = await api.services.orm.em.fork().find(Run, { workflow: workflowId }, { fields: ['id', 'trigger'] });
  expect(rows.map((row) => row.id).sort()).toEqual([...runIds].sort());
  expect(rows.every((row) => row.trigger === 'webhook')).toBe(true);

  console.log(
    `${firstAccepted.length} of ${DELIVERIES} accepted during the kill and restart; ${refused.length} re-sent, ` +
      `${resent.filter((attempt) => attempt.replayed).length} of which had a run already (started before the kill, unanswered)`,
  );
}, 180_000);

/**
 * Workflow ids of every execution started for the workflow. Visibility lags behind starts: the list is read until
 * it holds `expected` executions, then once more a second later, so a surplus execution would show too.
 */
async function listExecutions(workflowId: string, expected: number): Promise<string[]> {
  const query = `${KAI_WORKFLOW_ID.name} = '${workflowId}'`;
  const list = async () => {
    const ids: string[] = [];
    for await (const execution of api.temporal.client.workflow.list({ query })) ids.push(execution.workflowId);
    return ids;
  };
  for (let attempt = 0; attempt < 100 && (await list()).length < expected; attempt++) await sleep(200);
  await sleep(1000);
  return list();
}
