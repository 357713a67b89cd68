/**
 * Runs `pass` every `intervalMs` (the first at once) until the returned function is called; that function resolves
 * once a pass under way has finished. Passes never overlap, and a pass that throws is handed to `onError` and the
 * next one runs on time. The timer is unreferenced: it alone does not keep the process alive.
 */
export function repeatEvery(intervalMs: number, pass: () => Promise<void>, onError: (error: unknown) => void): () => Promise<void> {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let current: Promise<void> = Promise.resolve();
  const run = () => {
    current = pass()
      .catch(onError)
      .finally(() => {
        if (!stopped) timer = setTimeout(run, intervalMs).unref();
      });
  };
  run();
  return async () => {
    stopped = true;
    clearTimeout(timer);
    await current;
  };
}
