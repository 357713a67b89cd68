import { createApiHarness, type ApiHarness, type TestAccount } from '../../test/api-harness';
import { echoGraph, publishGraph } from '../../test/webhook-fixture';
import { DeliveryRateLimiter } from './rate-limiter';

let api: ApiHarness;
let owner: TestAccount;

beforeAll(async () => {
  api = await createApiHarness();
  owner = await api.signUp('limits');
}, 120_000);
afterAll(async () => {
  await api?.close();
});

async function newHook(): Promise<string> {
  return (await publishGraph(api.services, owner, echoGraph({ authMode: 'token' }))).hooks.hook.id;
}

/** A limiter on the test's database whose clock the test moves (the database's own clock otherwise). */
function limiterAt(start = Date.parse('2026-12-07T12:00:00Z')) {
  const clock = { now: start };
  return { clock, limiter: new DeliveryRateLimiter(api.services.orm, () => new Date(clock.now)) };
}

const takeAll = (limiter: DeliveryRateLimiter, hook: string, perMinute: number, count: number) =>
  Promise.all(Array.from({ length: count }, () => limiter.take(hook, perMinute)));

test('a bucket bursts up to its per-minute limit, then refills at limit/60 per second', async () => {
  const hook = await newHook();
  const { clock, limiter } = limiterAt();
  expect(await takeAll(limiter, hook, 3, 3)).toEqual([0, 0, 0]);
  expect(await limiter.take(hook, 3)).toBe(20);
  clock.now += 19_000;
  expect(await limiter.take(hook, 3)).toBe(1);
  clock.now += 1_000;
  expect(await limiter.take(hook, 3)).toBe(0);
  expect(await limiter.take(hook, 3)).toBe(20);
});

test('webhooks have separate buckets, and a lowered limit caps a full bucket at once', async () => {
  const [a, b, c] = [await newHook(), await newHook(), await newHook()];
  const { limiter } = limiterAt();
  expect(await limiter.take(a, 1)).toBe(0);
  expect(await limiter.take(a, 1)).toBe(60);
  expect(await limiter.take(b, 1)).toBe(0);
  expect(await limiter.take(c, 100)).toBe(0);
  expect(await limiter.take(c, 1)).toBe(0);
  expect(await limiter.take(c, 1)).toBe(60);
});

test('concurrent takes share one bucket: exactly the limit goes ahead, and two limiters are one', async () => {
  const hook = await newHook();
  const first = limiterAt();
  const second = limiterAt();
  const waits = await Promise.all([takeAll(first.limiter, hook, 10, 15), takeAll(second.limiter, hook, 10, 15)]);
  expect(waits.flat().filter((wait) => wait === 0)).toHaveLength(10);
});

test('a bucket is dropped with its webhook', async () => {
  const hook = await newHook();
  await new DeliveryRateLimiter(api.services.orm).take(hook, 5);
  const connection = api.services.orm.em.getConnection();
  expect(await connection.execute('select count(*)::int as n from webhook_rate_buckets where webhook_id = ?', [hook])).toEqual([{ n: 1 }]);
  await connection.execute('delete from webhook_deliveries where webhook_id = ?', [hook]);
  await connection.execute('delete from webhooks where id = ?', [hook]);
  expect(await connection.execute('select count(*)::int as n from webhook_rate_buckets where webhook_id = ?', [hook])).toEqual([{ n: 0 }]);
});
