import { availableParallelism } from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { SANDBOX_THREAD_BUNDLE } from './sandbox-thread-bundle';
import { SandboxError, timeLimitMessage, type SandboxFailureKind, type SandboxLimits, type SandboxRun } from './quickjs-sandbox';

/**
 * QuickJS checks its interrupt handler between bytecode operations, so a built-in doing much work in one operation
 * can run far past the time limit: in tests, recursion that catches its own stack overflows (a stack trace 1,500
 * frames deep per throw) ran 8.7 s past a 0.3 s limit, and filling arrays while the collector scanned a heap at its
 * memory limit ran 8 s. So every call runs on a sandbox thread, terminated when the call outlives its limit by this
 * much: the worker's event loop is never blocked, and no call overruns by more.
 */
const WATCHDOG_GRACE_MS = 1000;
/** Calls running at once, one per thread; more wait their turn. Two at least, so one slow call does not hold up all. */
const MAX_THREADS = Math.min(4, Math.max(2, availableParallelism() - 1));
/** For the host side of a call (input and output copies); QuickJS's heap is WebAssembly memory with its own limit. */
const THREAD_HEAP_MB = 256;
/**
 * Run from TypeScript sources, the thread loads them through tsx; in the built server (one bundle, see
 * scripts/start/build-server.ts) it is the compiled copy beside that bundle.
 */
const THREAD_SCRIPT = __filename.endsWith('.ts') ? path.join(__dirname, 'sandbox-thread.mjs') : path.join(path.dirname(__filename), SANDBOX_THREAD_BUNDLE);

type Reply = { ready: true } | { run: SandboxRun } | { failure: { kind: SandboxFailureKind; message: string } } | { crash: string };

class SandboxThread {
  /** False once the thread was terminated or died: it takes no more calls. */
  alive = true;

  private constructor(private readonly worker: Worker) {
    // A thread that fails or exits while idle must neither crash the process (an 'error' event nobody listens to
    // is thrown) nor be handed another call.
    worker.on('error', () => this.stop()).on('exit', () => (this.alive = false));
  }

  /** Resolves once the thread has loaded QuickJS, so that time is not charged to the first call's limit. */
  static start(): Promise<SandboxThread> {
    const worker = new Worker(THREAD_SCRIPT, { resourceLimits: { maxOldGenerationSizeMb: THREAD_HEAP_MB } });
    return new Promise((resolve, reject) => {
      const onExit = (exitCode: number) => reject(new Error(`the sandbox thread stopped while starting (exit code ${exitCode})`));
      worker.once('message', () => {
        worker.off('error', reject).off('exit', onExit);
        resolve(new SandboxThread(worker));
      });
      worker.once('error', reject).once('exit', onExit);
    });
  }

  call(code: string, input: unknown, limits: SandboxLimits, signal?: AbortSignal): Promise<SandboxRun> {
    // Cancelled while it waited for its turn or its thread.
    if (signal?.aborted) return Promise.reject(signal.reason as Error);
    const { worker } = this;
    worker.ref();
    return new Promise<SandboxRun>((resolve, reject) => {
      const finish = (keepThread: boolean, settle: () => void) => {
        clearTimeout(watchdog);
        worker.off('message', onReply).off('error', onError).off('exit', onExit);
        signal?.removeEventListener('abort', onAbort);
        if (keepThread) worker.unref();
        else this.stop();
        settle();
      };
      const onReply = (reply: Reply) => {
        if ('run' in reply) finish(true, () => resolve(reply.run));
        else if ('failure' in reply) finish(true, () => reject(new SandboxError(reply.failure.kind, reply.failure.message)));
        // An unexpected fault inside the WebAssembly may have left the thread's module inconsistent.
        else if ('crash' in reply) finish(false, () => reject(new Error(`the sandbox failed: ${reply.crash}`)));
      };
      const onError = (error: Error) => finish(false, () => reject(error));
      const onExit = (exitCode: number) => finish(false, () => reject(new Error(`the sandbox thread stopped (exit code ${exitCode})`)));
      const onAbort = () => finish(false, () => reject(signal?.reason));
      const watchdog = setTimeout(() => finish(false, () => reject(new SandboxError('time', timeLimitMessage(limits.timeoutMs)))), limits.timeoutMs + WATCHDOG_GRACE_MS);
      worker.on('message', onReply).on('error', onError).on('exit', onExit);
      signal?.addEventListener('abort', onAbort, { once: true });
      worker.postMessage({ code, input, limits });
    });
  }

  private stop(): void {
    this.alive = false;
    void this.worker.terminate();
  }
}

const idle: SandboxThread[] = [];
const waiting: (() => void)[] = [];
let running = 0;

/**
 * Runs `code` (an async function body reading `$input`) on `input` in QuickJS on a sandbox thread; throws
 * SandboxError for anything the code did, the signal's reason when aborted, and a plain Error if the sandbox broke.
 */
export async function runInSandbox(code: string, input: unknown, limits: SandboxLimits, signal?: AbortSignal): Promise<SandboxRun> {
  await turn();
  try {
    const thread = idleThread() ?? (await SandboxThread.start());
    try {
      return await thread.call(code, input, limits, signal);
    } finally {
      if (thread.alive) idle.push(thread);
    }
  } finally {
    endTurn();
  }
}

function idleThread(): SandboxThread | undefined {
  let thread = idle.pop();
  while (thread && !thread.alive) thread = idle.pop();
  return thread;
}

function turn(): Promise<void> {
  if (running < MAX_THREADS) {
    running += 1;
    return Promise.resolve();
  }
  return new Promise((resolve) => waiting.push(resolve));
}

/** Hands the turn to the next waiting call, if any. */
function endTurn(): void {
  const next = waiting.shift();
  if (next) next();
  else running -= 1;
}
