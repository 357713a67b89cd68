import { ApplicationFailure } from '@temporalio/activity';
import { codeNode, runCode } from './code';

/**
 * Escape attempts against the Code node's sandbox. Each either fails as a final node error naming what happened or
 * returns a harmless value; none reaches the worker's objects, crashes it or outlives its limits, and the call after
 * it works as usual.
 */

const ECMASCRIPT_GLOBALS = [
  ...['Error', 'EvalError', 'RangeError', 'ReferenceError', 'SyntaxError', 'TypeError', 'URIError', 'InternalError', 'AggregateError'],
  ...['Array', 'Object', 'Function', 'Iterator', 'Number', 'Boolean', 'String', 'Symbol', 'BigInt', 'Date', 'RegExp', 'Math', 'JSON', 'Reflect', 'Proxy', 'Promise'],
  ...['Map', 'Set', 'WeakMap', 'WeakSet', 'WeakRef', 'FinalizationRegistry', 'ArrayBuffer', 'SharedArrayBuffer', 'DataView'],
  ...['Uint8ClampedArray', 'Int8Array', 'Uint8Array', 'Int16Array', 'Uint16Array', 'Int32Array', 'Uint32Array', 'BigInt64Array', 'BigUint64Array'],
  ...['Float16Array', 'Float32Array', 'Float64Array'],
  ...['parseInt', 'parseFloat', 'isNaN', 'isFinite', 'decodeURI', 'decodeURIComponent', 'encodeURI', 'encodeURIComponent', 'escape', 'unescape'],
  ...['Infinity', 'NaN', 'undefined', 'eval', 'globalThis'],
];

function config(code: string, settings: { timeoutMs?: number; memoryLimitMb?: number } = {}) {
  return codeNode.config.parse({ code, ...settings });
}

async function result(code: string, input: unknown = null): Promise<unknown> {
  return (await runCode(config(code), input, 'Code')).result;
}

async function failure(code: string, settings: { timeoutMs?: number; memoryLimitMb?: number } = {}): Promise<ApplicationFailure> {
  const error = await runCode(config(code, settings), null, 'Code').catch((caught: unknown) => caught);
  if (!(error instanceof ApplicationFailure)) throw new Error(`expected the node to fail, got ${JSON.stringify(error) ?? String(error)}`);
  expect(error.nonRetryable).toBe(true);
  return error;
}

afterEach(async () => {
  // The worker's own realm is untouched, and the sandbox still does ordinary work.
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect(typeof Array.prototype.map).toBe('function');
  expect(JSON.parse('{"a":1}')).toEqual({ a: 1 });
  await expect(result('return $input + 1;', 41)).resolves.toBe(42);
});

describe('host objects are out of reach', () => {
  test('none of Node, the worker or the web platform is a global inside the sandbox', async () => {
    const probed = ['process', 'require', 'module', 'global', 'Buffer', 'fetch', 'XMLHttpRequest', 'WebSocket', 'setTimeout', 'setInterval', 'setImmediate', 'queueMicrotask', 'WebAssembly', 'std', 'os', 'Deno', 'Bun'];
    const code = `return Object.fromEntries(${JSON.stringify(probed)}.map((name) => [name, typeof globalThis[name]]));`;
    expect(await result(code)).toEqual(Object.fromEntries(probed.map((name) => [name, 'undefined'])));
  });

  test('the globals are the language built-ins and console, nothing else', async () => {
    const names = (await result('return Object.getOwnPropertyNames(globalThis);')) as string[];
    expect(names.sort()).toEqual([...ECMASCRIPT_GLOBALS, 'console'].sort());
  });

  test.each([
    ['a constructor chain', `return this.constructor.constructor('return process')();`],
    ['Function from a function', `return (() => 0).constructor('return process.env')();`],
    ['the console function\u2019s constructor', `return console.log.constructor('return require("fs")')();`],
    ['an async function\u2019s constructor', `return await (async () => 0).constructor('return process')();`],
  ])('%s reaches only the sandbox\u2019s own Function, where process and require do not exist', async (_name, code) => {
    const error = await failure(code);
    expect(error.type).toBe('CodeError');
    expect(error.message).toMatch(/^Code threw ReferenceError at line \d+, column \d+: '(process|require)' is not defined$/);
  });

  test('Function("return this")() is the sandbox\u2019s global object, which holds nothing of the host', async () => {
    expect(await result('const g = Function("return this")();\nreturn { same: g === globalThis, process: typeof g.process, keys: Object.keys(g) };')).toEqual({
      same: true,
      process: 'undefined',
      keys: ['console'],
    });
  });

  test('the console hands strings to the host: its functions expose no host function or object', async () => {
    const probe = `return {
      own: Object.getOwnPropertyNames(console.log).sort(),
      source: console.log.toString().includes('[native code]'),
      prototypeIsSandboxed: Object.getPrototypeOf(console.log) === Function.prototype,
    };`;
    expect(await result(probe)).toEqual({ own: ['length', 'name'], source: false, prototypeIsSandboxed: true });
  });

  test('import() finds no modules', async () => {
    for (const specifier of ['fs', 'os', 'std', 'node:child_process']) {
      const error = await failure(`return await import(${JSON.stringify(specifier)});`);
      expect(error.type).toBe('CodeError');
    }
  });

  test('V8 stack-trace hooks do nothing: the sandbox is not V8', async () => {
    const error = await failure('Error.prepareStackTrace = (e, frames) => frames[0].getThis();\nError.captureStackTrace?.({});\nthrow new Error("probe");');
    expect(error.message).toMatch(/^Code threw Error at line 3, column \d+: probe$/);
  });
});

describe('prototype pollution stays inside the call', () => {
  test('changing built-in prototypes in the sandbox leaves the worker\u2019s and the next call\u2019s untouched', async () => {
    await result('Object.prototype.polluted = "yes";\nArray.prototype.map = null;\nJSON.parse = () => ({ polluted: true });\nreturn [].map;');
    expect(await result('return { polluted: typeof ({}).polluted, map: typeof [].map, parse: JSON.parse("1") };')).toEqual({ polluted: 'undefined', map: 'function', parse: 1 });
  });

  test('__proto__ in the input or the output becomes an own property, never a prototype', async () => {
    const input = JSON.parse('{"__proto__": {"polluted": "yes"}}') as unknown;
    const output = (await result('$input.__proto__.polluted = "still";\nreturn JSON.parse(\'{"__proto__": {"polluted": "yes"}, "constructor": {"prototype": {"polluted": "yes"}}}\');', input)) as Record<string, unknown>;
    // The result comes back from the sandbox thread by structured clone, so its prototype is Node's Object.prototype.
    expect(Object.getPrototypeOf(Object.getPrototypeOf(output))).toBeNull();
    expect((Object.getPrototypeOf(output) as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getOwnPropertyDescriptor(output, '__proto__')?.value).toEqual({ polluted: 'yes' });
  });

  test('replacing JSON.stringify in the sandbox cannot change how the result is read', async () => {
    expect(await result('JSON.stringify = () => "{\\"forged\\": true}";\nreturn { honest: true };')).toEqual({ honest: true });
  });
});

describe('resource exhaustion fails cleanly at the limits', () => {
  test('an infinite loop stops at the CPU time limit, even the 5 s ceiling', async () => {
    const started = Date.now();
    const error = await failure('while (true) {}', { timeoutMs: 5000 });
    expect(error).toMatchObject({ type: 'CodeTimeLimit', message: 'Code exceeded its 5 s CPU time limit' });
    expect(Date.now() - started).toBeLessThan(9000);
  });

  test.each([
    ['a loop that catches what stops it', 'for (;;) { try { while (true) {} } catch (error) { continue; } }'],
    ['a loop of awaits', 'for (;;) await null;'],
    ['a promise chain that never ends', 'const spin = () => Promise.resolve().then(spin);\nawait spin();'],
    ['catastrophic regular-expression backtracking', 'return /^(a+)+$/.test("a".repeat(40) + "b");'],
  ])('%s stops at the CPU time limit', async (_name, code) => {
    const error = await failure(code, { timeoutMs: 200 });
    expect(error).toMatchObject({ type: 'CodeTimeLimit', message: 'Code exceeded its 0.2 s CPU time limit' });
  });

  test.each([
    ['one huge string', 'return "x".repeat(2 ** 28);'],
    ['an ArrayBuffer', 'return new ArrayBuffer(2 ** 30).byteLength;'],
  ])('%s stops at the memory limit', async (_name, code) => {
    const error = await failure(code, { memoryLimitMb: 16 });
    expect(error).toMatchObject({ type: 'CodeMemoryLimit', message: 'Code exceeded its 16 MiB memory limit' });
  });

  test('endless promise chains stopped again and again leave the sandbox working (QuickJS may fail to free their runtime)', async () => {
    for (let i = 0; i < 8; i++) {
      const error = await failure('const spin = () => Promise.resolve().then(spin);\nawait spin();', { timeoutMs: 100 });
      expect(error.type).toBe('CodeTimeLimit');
      await expect(result('return [1, 2].map((x) => x * 2);')).resolves.toEqual([2, 4]);
    }
  });

  test('a memory bomb that makes the collector crawl, where QuickJS checks the time too seldom, is stopped by the watchdog', async () => {
    const started = Date.now();
    const error = await failure('const hoard = [];\nfor (;;) hoard.push(new Array(100000).fill(1));', { timeoutMs: 200, memoryLimitMb: 16 });
    expect(['CodeTimeLimit', 'CodeMemoryLimit']).toContain(error.type);
    expect(Date.now() - started).toBeLessThan(6000);
  });

  test('deep recursion stops at the stack limit', async () => {
    const error = await failure('const down = (n) => down(n + 1) + 1;\nreturn down(0);');
    expect(error).toMatchObject({ type: 'CodeStackLimit', message: 'Code exceeded its stack size limit (recursion too deep)' });
  });

  test('recursion that catches its own stack overflows, where QuickJS checks the time too seldom, is stopped by the watchdog', async () => {
    const started = Date.now();
    const error = await failure('const down = () => { try { return down(); } catch { return down(); } };\nreturn down();', { timeoutMs: 300 });
    expect(error).toMatchObject({ type: 'CodeTimeLimit', message: 'Code exceeded its 0.3 s CPU time limit' });
    expect(Date.now() - started).toBeLessThan(6000);
  });

  test('a getter that loops, thrown as the error, cannot stall the error report', async () => {
    const error = await failure('throw { get message() { for (;;) {} } };', { timeoutMs: 200 });
    expect(error.type).toBe('CodeError');
  });

  test('a huge result is refused at 1 MiB', async () => {
    const error = await failure('return "x".repeat(2 * 1024 * 1024);');
    expect(error).toMatchObject({ type: 'CodeOutputLimit', message: 'Code returned a result larger than 1 MiB as JSON' });
  });

  test('a huge thrown value makes a bounded error message', async () => {
    const error = await failure('throw "x".repeat(10 * 1024 * 1024);');
    expect(error.type).toBe('CodeError');
    expect(error.message.length).toBeLessThan(3000);
  });

  test('a flood of console output is capped and marked', async () => {
    const run = await runCode(config('for (let i = 0; i < 20000; i++) console.log("x".repeat(1000));\nreturn "survived";'), null, 'Code');
    expect(run.result).toBe('survived');
    expect(run.logsTruncated).toBe(true);
    expect(JSON.stringify(run.logs).length).toBeLessThan(100 * 1024);
  });
});
