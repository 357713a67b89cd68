import { DeliveryRateLimiter } from './rate-limiter';

function limiterAt(start = 0) {
  const clock = { now: start };
  return { clock, limiter: new DeliveryRateLimiter(() => clock.now) };
}

test('a bucket bursts up to its per-minute limit, then refills at limit/60 per second', () => {
  const { clock, limiter } = limiterAt();
  expect([1, 2, 3].map(() => limiter.take('hook', 3))).toEqual([0, 0, 0]);
  expect(limiter.take('hook', 3)).toBe(20);
  clock.now += 19_000;
  expect(limiter.take('hook', 3)).toBe(1);
  clock.now += 1_000;
  expect(limiter.take('hook', 3)).toBe(0);
  expect(limiter.take('hook', 3)).toBe(20);
});

test('webhooks have separate buckets, and a lowered limit caps a full bucket at once', () => {
  const { limiter } = limiterAt();
  expect(limiter.take('a', 1)).toBe(0);
  expect(limiter.take('a', 1)).toBe(60);
  expect(limiter.take('b', 1)).toBe(0);
  expect(limiter.take('c', 100)).toBe(0);
  expect(limiter.take('c', 1)).toBe(0);
  expect(limiter.take('c', 1)).toBe(60);
});
