import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from '../../platform/dev-server';
import { createApiHarness, type ApiHarness } from '../../test/api-harness';
import { startApiProcess, type ApiProcess } from '../../test/api-process';
import { testEnv } from '../../test/temporal-harness';
import { echoGraph, publishGraph } from '../../test/webhook-fixture';

const PER_MINUTE = 4;
const PER_API = 6;

let api: ApiHarness;
let dataDir: string;
const processes: ApiProcess[] = [];

beforeAll(async () => {
  api = await createApiHarness();
  dataDir = await mkdtemp(path.join(tmpdir(), 'kai-api-processes-'));
}, 120_000);
afterAll(async () => {
  await Promise.all(processes.map((process) => process.stop()));
  await api?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

test('two API processes share one rate limit per webhook: together they accept what one would', async () => {
  const owner = await api.signUp('limits');
  const hook = (await publishGraph(api.services, owner, echoGraph({ authMode: 'token', rateLimitPerMinute: PER_MINUTE }))).hooks.hook;
  const jwtSecret = randomBytes(32).toString('hex');
  for (let i = 0; i < 2; i++) {
    processes.push(
      await startApiProcess({
        databaseUrl: api.database.url,
        temporalAddress: testEnv().address,
        taskQueue: api.temporal.taskQueue,
        port: await freePort(),
        encryptionKey: api.services.encryptionKey.bytes.toString('base64'),
        jwtSecret,
        dataDir,
      }),
    );
  }

  const started = performance.now();
  const statuses = await Promise.all(
    Array.from({ length: 2 * PER_API }, async (_, i) => {
      const response = await fetch(`${processes[i % 2].url}/api/webhooks/${hook.id}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${hook.secret}`, 'content-type': 'application/json' },
        body: JSON.stringify({ i }),
      });
      return { status: response.status, retryAfter: response.headers.get('retry-after') };
    }),
  );
  // The bucket refills one token every 60 / PER_MINUTE s: on a slow machine the burst may have earned some back.
  const refilled = Math.floor(((performance.now() - started) / 60_000) * PER_MINUTE);
  const accepted = statuses.filter(({ status }) => status === 202);
  const refused = statuses.filter(({ status }) => status === 429);
  expect(accepted.length + refused.length).toBe(2 * PER_API);
  expect(accepted.length).toBeGreaterThanOrEqual(PER_MINUTE);
  // A bucket per process would have let 2 x PER_MINUTE through.
  expect(accepted.length).toBeLessThanOrEqual(PER_MINUTE + refilled);
  expect(refused.every(({ retryAfter }) => Number(retryAfter) >= 1)).toBe(true);
}, 180_000);
