import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { SessionResponse } from '../../contract/auth';
import type { RunRecordDto } from '../../contract/runs';
import { spawnEmbeddedPostgres } from '../../db/embedded-postgres-process';
import { migrateToLatest, openDatabase } from '../../db/orm';
import { secretKey } from '../../db/secret-box';
import type { GraphInput } from '../../engine/graph';
import { freePort } from '../../platform/dev-server';
import { startApiProcess, type ApiProcess } from '../../test/api-process';
import { publishGraph, type WebhookOwner } from '../../test/webhook-fixture';
import { Teardown } from './teardown';

/** A published webhook endpoint and the token its sender authenticates with. */
export interface WebhookTarget {
  hookId: string;
  url: string;
  secret: string;
}

export interface WebhookApi {
  /** Publishes `graph` (its Webhook node must be `hook`) as a workflow of the signed-up owner. */
  publish(graph: GraphInput): Promise<WebhookTarget>;
  /** Publishes `graph` (any entry node) as a workflow of the signed-up owner; resolves with its id. */
  publishWorkflow(graph: GraphInput): Promise<string>;
  /**
   * `POST /api/v1/workflows/{id}/runs` with `wait`, as a REST client starts a run and waits for its result; throws
   * unless the answer is 200 with the finished run.
   */
  runAndWait(workflowId: string, inputs: Record<string, unknown>): Promise<RunRecordDto>;
  /** SIGKILL: the API dies mid-request, as on a crash; resolves once it has exited. */
  kill(): Promise<void>;
  /** Starts the API again on the same port with the same keys, so endpoints and secrets stay valid. */
  restart(): Promise<void>;
}

export interface WebhookApiOptions {
  /** Where the API starts runs: the benchmark's dev server and the task queue its worker polls. */
  temporal: { address: string; taskQueue: string };
  /** An empty database; without one, an embedded PGlite runs in a child process, as `npm start` runs it. */
  databaseUrl?: string;
}

/**
 * Runs `body` against the real API process (see {@link startWebhookApi}), then stops the API and the database, also
 * when `body` fails.
 */
export async function withWebhookApi<T>(options: WebhookApiOptions, body: (api: WebhookApi) => Promise<T>): Promise<T> {
  const teardown = new Teardown();
  try {
    return await body(await startWebhookApi(options, teardown));
  } finally {
    const errors = await teardown.run();
    if (errors.length > 0) console.error('stopping the API or its database failed:', ...errors);
  }
}

/**
 * Starts the real API process (api/main.ts, as deployed) on a free loopback port, with a migrated database and one
 * signed-up owner; `teardown` stops them. The API is its own process so that the load generator and the worker do
 * not share its event loop.
 */
export async function startWebhookApi(options: WebhookApiOptions, teardown: Teardown): Promise<WebhookApi> {
  let databaseUrl = options.databaseUrl;
  if (!databaseUrl) {
    const embedded = await spawnEmbeddedPostgres({ dir: 'memory://', port: 0 });
    teardown.add(() => embedded.stop());
    databaseUrl = embedded.url;
  }
  const dataDir = await mkdtemp(path.join(tmpdir(), 'kai-bench-api-'));
  teardown.add(() => rm(dataDir, { recursive: true, force: true }));
  const orm = await openDatabase(databaseUrl);
  teardown.add(() => orm.close());
  await migrateToLatest(orm);
  const encryptionKey = secretKey(randomBytes(32));
  const settings = {
    databaseUrl,
    temporalAddress: options.temporal.address,
    taskQueue: options.temporal.taskQueue,
    port: await freePort(),
    encryptionKey: encryptionKey.bytes.toString('base64'),
    jwtSecret: randomBytes(32).toString('hex'),
    dataDir,
  };
  let running: ApiProcess = await startApiProcess(settings);
  teardown.add(() => running.stop());
  const origin = running.url;
  const { owner, accessToken } = await signUp(origin);
  return {
    async publish(graph) {
      const { hooks } = await publishGraph({ orm, encryptionKey }, owner, graph);
      return { hookId: hooks.hook.id, url: `${origin}/api/webhooks/${hooks.hook.id}`, secret: hooks.hook.secret };
    },
    publishWorkflow: async (graph) => (await publishGraph({ orm, encryptionKey }, owner, graph)).workflowId,
    async runAndWait(workflowId, inputs) {
      const answer = await fetch(`${origin}/api/v1/workflows/${workflowId}/runs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${accessToken}` },
        body: JSON.stringify({ inputs, wait: RUN_WAIT_SECONDS }),
      });
      if (answer.status !== 200) throw new Error(`starting a run with wait answered ${answer.status}: ${await answer.text()}`);
      return (await answer.json()) as RunRecordDto;
    },
    kill: () => running.kill(),
    async restart() {
      running = await startApiProcess(settings);
    },
  };
}

/** How long a REST start waits for the result; a benchmark run that takes longer is an error, not a figure. */
const RUN_WAIT_SECONDS = 30;

/** Signs up an owner through the API at `origin`: a user and their workspace, as a person would. */
export async function signUp(origin: string): Promise<{ owner: WebhookOwner; accessToken: string }> {
  const signedUp = await fetch(`${origin}/api/v1/auth/signup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: `bench-${randomBytes(4).toString('hex')}@example.com`, password: 'correct horse battery staple' }),
  });
  if (signedUp.status !== 201) throw new Error(`sign-up failed: ${signedUp.status} ${await signedUp.text()}`);
  const session = (await signedUp.json()) as SessionResponse;
  const me = await fetch(`${origin}/api/v1/auth/me`, { headers: { authorization: `Bearer ${session.accessToken}` } });
  const answer = (await me.json()) as { user: { id: string }; workspace: { id: string } };
  return { owner: { userId: answer.user.id, workspaceId: answer.workspace.id }, accessToken: session.accessToken };
}
