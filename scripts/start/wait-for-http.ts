/** Polls `url` until it answers 200; rejects after `timeoutMs`, resolves quietly when `signal` aborts. */
export async function waitForHttp(url: string, options: { timeoutMs: number; signal?: AbortSignal }): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  while (!options.signal?.aborted) {
    const problem = await probe(url);
    if (problem === undefined) return;
    if (Date.now() > deadline) throw new Error(`${url} did not answer 200 within ${options.timeoutMs / 1000} s (${problem})`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Undefined when `url` answers 200; otherwise what it did instead. */
async function probe(url: string): Promise<string | undefined> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
    await response.body?.cancel();
    return response.status === 200 ? undefined : `status ${response.status}`;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}
