import {
  newQuickJSWASMModuleFromVariant,
  RELEASE_SYNC,
  Scope,
  shouldInterruptAfterDeadline,
  type QuickJSContext,
  type QuickJSHandle,
  type QuickJSRuntime,
  type QuickJSSyncVariant,
  type QuickJSWASMModule,
} from 'quickjs-emscripten';

/**
 * Runs user JavaScript inside QuickJS compiled to WebAssembly: a separate interpreter with its own heap, whose only
 * globals are the language's own (no process, require, fetch, timers, filesystem). What goes in is the input as JSON
 * text and a console that hands strings back; what comes out is JSON text, size-checked before it is parsed here.
 */

export const LOG_LEVELS = ['log', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface SandboxLimits {
  /** The code runs on this thread without yielding, so its wall-clock budget is its CPU time. */
  timeoutMs: number;
  memoryBytes: number;
  /** The result's JSON, in UTF-8 bytes. */
  outputBytes: number;
}

export interface SandboxLog {
  level: LogLevel;
  message: string;
}

export interface SandboxRun {
  result: unknown;
  logs: SandboxLog[];
  /** Lines or characters past the log caps were dropped. */
  logsTruncated: boolean;
}

export type SandboxFailureKind = 'syntax' | 'thrown' | 'time' | 'memory' | 'stack' | 'output' | 'unsettled';

/** The user's code failed, or hit a limit; nothing about the host is wrong, so another attempt would fail alike. */
export class SandboxError extends Error {
  override name = 'SandboxError';
  constructor(
    readonly kind: SandboxFailureKind,
    message: string,
  ) {
    super(message);
  }
}

export const MAX_LOG_LINES = 200;
export const MAX_LOG_CHARACTERS = 64 * 1024;

/**
 * QuickJS's recursion runs on the host's native stack: at 512 KiB deep recursion overflowed Node's own stack (a host
 * RangeError out of the WebAssembly), at 256 KiB QuickJS reports its own "stack overflow" first.
 */
const STACK_BYTES = 256 * 1024;
/** Time granted to describe a failure (its message may run user getters) once the code's own budget is spent. */
const DESCRIBE_GRACE_MS = 100;
/** A thrown value's text in the node's error, at most. */
const MAX_MESSAGE_CHARACTERS = 2000;
/** The user's code is the body of this function; line 1 is the header, so its lines are reported one less. */
const WRAPPER_HEADER = '(async function ($input) {\n';
const CODE_FILE = 'code.js';

/**
 * Evaluated before the user's code: console writes strings through the host function it is given (never left on a
 * global), and the JSON helpers are captured before the user's code could replace them.
 */
const PRELUDE = `(hostLog) => {
  const { parse, stringify } = JSON;
  const text = (value) => {
    if (typeof value === 'string') return value;
    try { return stringify(value) ?? String(value); } catch { try { return String(value); } catch { return '[unprintable]'; } }
  };
  let full = false;
  const write = (level, args) => {
    if (!full) full = !hostLog(level, args.map(text).join(' ').slice(0, ${MAX_LOG_CHARACTERS}));
  };
  globalThis.console = Object.fromEntries(${JSON.stringify(LOG_LEVELS)}.map((level) => [level, (...args) => write(level, args)]));
  return { call: (fn, input) => fn(parse(input)), serialise: (value) => stringify(value) ?? 'null' };
}`;

/**
 * The release build, loaded through its CommonJS file: the variant's own loader is a dynamic import(), which Jest's
 * module sandbox refuses. Same module, same WebAssembly.
 */
const VARIANT: QuickJSSyncVariant = {
  ...RELEASE_SYNC,
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  importModuleLoader: async () => require('@jitl/quickjs-wasmfile-release-sync/emscripten-module') as Awaited<ReturnType<QuickJSSyncVariant['importModuleLoader']>>,
};

let loading: Promise<QuickJSWASMModule> | undefined;

/** One WebAssembly module per process (loading it takes tens of milliseconds); each call gets its own runtime in it. */
function quickJs(): Promise<QuickJSWASMModule> {
  loading ??= newQuickJSWASMModuleFromVariant(VARIANT);
  return loading;
}

/** The WebAssembly memory the sandbox holds: it grows and never shrinks, so runtimes left undisposed show up here. */
export async function sandboxMemoryBytes(): Promise<number> {
  return (await quickJs()).getWasmMemory().buffer.byteLength;
}

/**
 * Runs `code` (an async function body reading `$input`) on `input` on this thread; throws SandboxError for anything
 * the code did. Its limits are checked between bytecode operations: sandbox-threads.ts adds the hard stop.
 */
export async function runInQuickJs(code: string, input: unknown, limits: SandboxLimits): Promise<SandboxRun> {
  const module = await quickJs();
  const scope = new Scope();
  try {
    return runInRuntime(scope, module, code, JSON.stringify(input) ?? 'null', limits);
  } catch (error) {
    // Anything else escaping the WebAssembly (a trap, an abort) may have left the module's memory inconsistent:
    // the next call loads a fresh one.
    if (!(error instanceof SandboxError)) loading = undefined;
    throw error;
  } finally {
    disposeRuntime(scope);
  }
}

/**
 * Freeing a runtime whose promise jobs were interrupted can fail QuickJS's own leak assertion (about one run in four
 * of an endless promise chain stopped at its time limit), which aborts the module for good. The call's outcome
 * stands; the next call loads a fresh module.
 */
function disposeRuntime(scope: Scope): void {
  try {
    scope.dispose();
  } catch {
    loading = undefined;
  }
}

function runInRuntime(scope: Scope, module: QuickJSWASMModule, code: string, inputJson: string, limits: SandboxLimits): SandboxRun {
  const runtime = scope.manage(module.newRuntime());
  runtime.setMemoryLimit(limits.memoryBytes);
  runtime.setMaxStackSize(STACK_BYTES);
  const deadline = Date.now() + limits.timeoutMs;
  runtime.setInterruptHandler(shouldInterruptAfterDeadline(deadline));
  const context = scope.manage(runtime.newContext());
  const logs = new LogCollector();
  const fail = (kind: SandboxFailureKind, message: string): never => {
    throw new SandboxError(kind, message);
  };
  const failWith = (errorHandle: QuickJSHandle): never => {
    runtime.setInterruptHandler(shouldInterruptAfterDeadline(Date.now() + DESCRIBE_GRACE_MS));
    const { kind, message } = describeFailure(context, scope.manage(errorHandle), limits);
    return fail(kind, message.length > MAX_MESSAGE_CHARACTERS ? `${message.slice(0, MAX_MESSAGE_CHARACTERS)}…` : message);
  };

  const hostLog = scope.manage(context.newFunction('log', (level, text) => (logs.add(context.getString(level), context.getString(text)) ? context.true : context.false)));
  const prelude = context.evalCode(PRELUDE, 'prelude.js');
  if (prelude.error) return failWith(prelude.error);
  const installed = context.callFunction(scope.manage(prelude.value), context.undefined, hostLog);
  if (installed.error) return failWith(installed.error);
  const helpers = scope.manage(installed.value);

  const compiled = context.evalCode(`${WRAPPER_HEADER}${code}\n})`, CODE_FILE);
  if (compiled.error) return failWith(compiled.error);
  const inputText = scope.manage(context.newString(inputJson));
  const called = context.callFunction(scope.manage(context.getProp(helpers, 'call')), context.undefined, scope.manage(compiled.value), inputText);
  if (called.error) return failWith(called.error);
  const settled = settle(runtime, context, scope.manage(called.value), deadline);
  if (settled.type === 'pending') return fail('unsettled', 'awaited something that never settles: there are no timers or I/O to wait for');
  if (settled.type === 'late') return fail('time', timeLimitMessage(limits.timeoutMs));
  if (settled.type === 'rejected') return failWith(settled.error);
  const serialised = context.callFunction(scope.manage(context.getProp(helpers, 'serialise')), context.undefined, scope.manage(settled.value));
  if (serialised.error) return failWith(serialised.error);
  const result = readJson(context, scope.manage(serialised.value), limits.outputBytes);
  return { result, logs: logs.lines, logsTruncated: logs.truncated };
}

type Settled = { type: 'fulfilled'; value: QuickJSHandle } | { type: 'rejected'; error: QuickJSHandle } | { type: 'pending' } | { type: 'late' };

/** The wrapper is async, so the code's result is a promise: run QuickJS's job queue until it settles or runs dry. */
function settle(runtime: QuickJSRuntime, context: QuickJSContext, promise: QuickJSHandle, deadline: number): Settled {
  for (;;) {
    const state = context.getPromiseState(promise);
    if (state.type === 'fulfilled') return { type: 'fulfilled', value: state.value };
    if (state.type === 'rejected') return { type: 'rejected', error: state.error };
    if (!runtime.hasPendingJob()) return { type: 'pending' };
    // Jobs too short to reach QuickJS's interrupt check still count against the code's time.
    if (Date.now() > deadline) return { type: 'late' };
    const ran = runtime.executePendingJobs(1000);
    if (ran.error) return { type: 'rejected', error: ran.error };
  }
}

/** The length is read inside QuickJS first, so an oversized result is refused without copying it out. */
function readJson(context: QuickJSContext, text: QuickJSHandle, outputBytes: number): unknown {
  const tooLarge = () => new SandboxError('output', `returned a result larger than ${formatBytes(outputBytes)} as JSON`);
  const length = context.getProp(text, 'length').consume((handle) => context.getNumber(handle));
  // A UTF-16 unit is 1 to 3 bytes of UTF-8.
  if (length > outputBytes) throw tooLarge();
  const json = context.getString(text);
  if (Buffer.byteLength(json) > outputBytes) throw tooLarge();
  return JSON.parse(json) as unknown;
}

interface ThrownValue {
  name?: unknown;
  message?: unknown;
  stack?: unknown;
}

function describeFailure(context: QuickJSContext, error: QuickJSHandle, limits: SandboxLimits): { kind: SandboxFailureKind; message: string } {
  const thrown = dumpSafely(context, error);
  const isError = typeof thrown === 'object' && thrown !== null && 'message' in thrown;
  const { name, message, stack } = (isError ? thrown : {}) as ThrownValue;
  if (name === 'InternalError') {
    if (message === 'interrupted') return { kind: 'time', message: timeLimitMessage(limits.timeoutMs) };
    if (message === 'out of memory') return { kind: 'memory', message: `exceeded its ${formatBytes(limits.memoryBytes)} memory limit` };
    if (message === 'stack overflow') return { kind: 'stack', message: 'exceeded its stack size limit (recursion too deep)' };
  }
  if (!isError) return { kind: 'thrown', message: `threw ${JSON.stringify(thrown) ?? String(thrown)}` };
  const where = positionIn(stack);
  if (name === 'SyntaxError') return { kind: 'syntax', message: `has a syntax error${where}: ${String(message)}` };
  return { kind: 'thrown', message: `threw ${String(name ?? 'Error')}${where}: ${String(message)}` };
}

function dumpSafely(context: QuickJSContext, handle: QuickJSHandle): unknown {
  try {
    return context.dump(handle) as unknown;
  } catch {
    return '[an error that could not be read]';
  }
}

/** The first frame in the user's code, as " at line L, column C" of what the user wrote. */
function positionIn(stack: unknown): string {
  const frame = typeof stack === 'string' ? new RegExp(`${CODE_FILE.replace('.', '\\.')}:(\\d+):(\\d+)`).exec(stack) : null;
  return frame ? ` at line ${Number(frame[1]) - 1}, column ${frame[2]}` : '';
}

class LogCollector {
  readonly lines: SandboxLog[] = [];
  truncated = false;
  private characters = 0;

  /** Keeps what fits; false once full, so the sandbox stops sending (a flood of output costs no copying). */
  add(level: string, message: string): boolean {
    const room = MAX_LOG_CHARACTERS - this.characters;
    if (this.lines.length >= MAX_LOG_LINES || room <= 0) {
      this.truncated = true;
      return false;
    }
    const kept = message.length > room ? message.slice(0, room) : message;
    if (kept !== message) this.truncated = true;
    this.characters += kept.length;
    this.lines.push({ level: (LOG_LEVELS as readonly string[]).includes(level) ? (level as LogLevel) : 'log', message: kept });
    return true;
  }
}

function formatBytes(bytes: number): string {
  return bytes % (1024 * 1024) === 0 ? `${bytes / (1024 * 1024)} MiB` : `${Math.round(bytes / 1024)} KiB`;
}

export function timeLimitMessage(timeoutMs: number): string {
  return `exceeded its ${Number((timeoutMs / 1000).toFixed(3))} s CPU time limit`;
}
