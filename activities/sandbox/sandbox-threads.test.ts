import type { SandboxLimits } from './quickjs-sandbox';
import { runInSandbox } from './sandbox-threads';

const limits: SandboxLimits = { timeoutMs: 5000, memoryBytes: 64 * 1024 * 1024, outputBytes: 1024 * 1024 };

test('calls made at once all get their own answer, more calls than threads waiting their turn', async () => {
  const runs = await Promise.all(Array.from({ length: 12 }, (_, n) => runInSandbox('return $input.n * 10;', { n }, limits)));
  expect(runs.map((run) => run.result)).toEqual(Array.from({ length: 12 }, (_, n) => n * 10));
});

test('a cancelled call stops at once, long before its time limit, and the next call works', async () => {
  const controller = new AbortController();
  const started = Date.now();
  const running = runInSandbox('while (true) {}', null, limits, controller.signal);
  setTimeout(() => controller.abort(new Error('run cancelled')), 300);
  await expect(running).rejects.toThrow('run cancelled');
  expect(Date.now() - started).toBeLessThan(limits.timeoutMs);
  await expect(runInSandbox('return "after";', null, limits)).resolves.toMatchObject({ result: 'after' });
});

test('a call spinning to its time limit does not hold up another call', async () => {
  let slowSettled = false;
  const slow = runInSandbox('while (true) {}', null, limits).finally(() => (slowSettled = true));
  await expect(runInSandbox('return "quick";', null, limits)).resolves.toMatchObject({ result: 'quick' });
  expect(slowSettled).toBe(false);
  await expect(slow).rejects.toThrow('exceeded its 5 s CPU time limit');
});
