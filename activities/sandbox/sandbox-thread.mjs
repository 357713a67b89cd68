// One sandbox thread (see sandbox-threads.ts): runs each call it is sent in QuickJS and answers with its outcome.
// Plain ESM so it loads the same way under tsx, Jest and the built server; the TypeScript sandbox loads through tsx.
import { createRequire } from 'node:module';
import { parentPort } from 'node:worker_threads';
import { register } from 'tsx/cjs/api';

register();
const { runInQuickJs, SandboxError } = createRequire(import.meta.url)('./quickjs-sandbox.ts');

parentPort.on('message', async ({ code, input, limits }) => {
  try {
    parentPort.postMessage({ run: await runInQuickJs(code, input, limits) });
  } catch (error) {
    parentPort.postMessage(error instanceof SandboxError ? { failure: { kind: error.kind, message: error.message } } : { crash: String(error?.stack ?? error) });
  }
});
parentPort.postMessage({ ready: true });
