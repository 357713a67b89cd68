import { MAX_LOG_CHARACTERS, MAX_LOG_LINES, runInQuickJs, SandboxError, sandboxMemoryBytes, type SandboxLimits } from './quickjs-sandbox';

const limits: SandboxLimits = { timeoutMs: 2000, memoryBytes: 64 * 1024 * 1024, outputBytes: 1024 * 1024 };

async function failureOf(code: string, input: unknown = null, overrides: Partial<SandboxLimits> = {}): Promise<SandboxError> {
  const error = await runInQuickJs(code, input, { ...limits, ...overrides }).catch((caught: unknown) => caught);
  if (!(error instanceof SandboxError)) throw new Error(`expected a SandboxError, got ${String(error)}`);
  return error;
}

test('the code reads $input and returns a JSON value computed from it', async () => {
  const input = { orders: [{ sku: 'a', qty: 2, price: 5 }, { sku: 'b', qty: 1, price: 7.5 }] };
  const code = 'const total = $input.orders.reduce((sum, o) => sum + o.qty * o.price, 0);\nreturn { total, skus: $input.orders.map((o) => o.sku.toUpperCase()) };';
  await expect(runInQuickJs(code, input, limits)).resolves.toEqual({ result: { total: 17.5, skus: ['A', 'B'] }, logs: [], logsTruncated: false });
});

test('await works, and a result of undefined is null', async () => {
  expect((await runInQuickJs('const [a, b] = await Promise.all([1, Promise.resolve(2)]);\nreturn a + b;', null, limits)).result).toBe(3);
  expect((await runInQuickJs('const x = 1;', null, limits)).result).toBeNull();
});

test('console output is captured in order with its level; objects are shown as JSON', async () => {
  const run = await runInQuickJs('console.log("count", $input.length);\nconsole.warn({ a: [1] });\nconsole.error(undefined, null);\nreturn "done";', [1, 2], limits);
  expect(run.logs).toEqual([
    { level: 'log', message: 'count 2' },
    { level: 'warn', message: '{"a":[1]}' },
    { level: 'error', message: 'undefined null' },
  ]);
});

test('console output is capped in lines and in characters', async () => {
  const lines = await runInQuickJs('for (let i = 0; i < 1000; i++) console.log(i);', null, limits);
  expect(lines.logs).toHaveLength(MAX_LOG_LINES);
  expect(lines.logsTruncated).toBe(true);
  const characters = await runInQuickJs('for (let i = 0; i < 100; i++) console.log("x".repeat(10000));', null, limits);
  expect(characters.logs.reduce((sum, line) => sum + line.message.length, 0)).toBe(MAX_LOG_CHARACTERS);
  expect(characters.logsTruncated).toBe(true);
});

test('a syntax error names the line and column of the code as written', async () => {
  const error = await failureOf('const a = 1;\nconst b = ;\nreturn a;');
  expect(error.kind).toBe('syntax');
  expect(error.message).toMatch(/^has a syntax error at line 2, column \d+: /);
});

test('a thrown error keeps its type, message and position; a thrown value is shown as JSON', async () => {
  const error = await failureOf('const items = $input.items;\nreturn items.map((x) => x.name);', {});
  expect(error.kind).toBe('thrown');
  expect(error.message).toMatch(/^threw TypeError at line 2, column \d+: /);
  expect((await failureOf('throw { code: 42 };')).message).toBe('threw {"code":42}');
});

test('a promise that can never settle is refused, not waited on', async () => {
  const error = await failureOf('await new Promise(() => {});');
  expect(error.kind).toBe('unsettled');
});

test('a result that is not JSON fails with the reason', async () => {
  const error = await failureOf('return { big: 10n };');
  expect(error.kind).toBe('thrown');
  expect(error.message).toContain('BigInt');
});

test('the result size is checked in UTF-8 bytes', async () => {
  const outputBytes = 1000;
  expect((await runInQuickJs('return "é".repeat(400);', null, { ...limits, outputBytes })).result).toHaveLength(400);
  const error = await failureOf('return "é".repeat(600);', null, { outputBytes });
  expect(error).toMatchObject({ kind: 'output', message: 'returned a result larger than 1 KiB as JSON' });
});

test('1,000 calls release their runtimes: the sandbox memory does not grow with the number of calls', async () => {
  const call = () => runInQuickJs('const xs = Array.from({ length: 100 }, (_, i) => ({ i }));\nreturn xs.length * $input.n;', { n: 2 }, limits);
  for (let i = 0; i < 20; i++) await call();
  const before = await sandboxMemoryBytes();
  for (let i = 0; i < 1000; i++) await call();
  // A runtime and context left behind keep about 60 KiB: 1,000 of them would grow the memory by some 60 MiB.
  expect((await sandboxMemoryBytes()) - before).toBeLessThan(8 * 1024 * 1024);
});
