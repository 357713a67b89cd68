import { parentPort } from 'node:worker_threads';
import { runInQuickJs, SandboxError, type SandboxLimits } from './quickjs-sandbox';

/** One sandbox thread (see sandbox-threads.ts): runs each call it is sent in QuickJS and answers with its outcome. */
const port = parentPort;
if (!port) throw new Error('sandbox-thread-main runs only as a worker thread');

port.on('message', ({ code, input, limits }: { code: string; input: unknown; limits: SandboxLimits }) => {
  runInQuickJs(code, input, limits).then(
    (run) => port.postMessage({ run }),
    (error: unknown) =>
      port.postMessage(error instanceof SandboxError ? { failure: { kind: error.kind, message: error.message } } : { crash: String((error as Error | undefined)?.stack ?? error) }),
  );
});
port.postMessage({ ready: true });
