import { sendJson, startHttpFixture } from '../../test/http-fixture';
import type { Teardown } from '../lib/teardown';

/** A loopback HTTP server that the scenarios' HTTP Request nodes call: it counts every execution of every node. */
export interface ExecutionCounter {
  /** Where a node calls: `${url}?run=<run key>&node=<node id>`. */
  url: string;
  executions(run: string, node: string): number;
  /** Every (run, node) seen, with its count. */
  all(): { run: string; node: string; executions: number }[];
  /** Answers the calls of the held node, now and from now on. */
  release(): void;
}

export interface ExecutionCounterOptions {
  answerDelayMs: number;
  /** Calls of this node get no answer until `release()`, so the fault surely lands while they are in flight. */
  holdNode?: string;
}

/**
 * Answers `{ run, node }` after `answerDelayMs`. The count is taken when the request arrives: an execution whose
 * worker dies before the answer still counts.
 */
export async function startExecutionCounter(teardown: Teardown, options: ExecutionCounterOptions): Promise<ExecutionCounter> {
  const http = await startHttpFixture();
  teardown.add(() => http.close());
  let release: () => void = () => undefined;
  const released = new Promise<void>((resolve) => (release = resolve));
  // Held calls would keep the server from closing.
  teardown.add(async () => release());
  const counts = new Map<string, number>();
  const keyOf = (run: string, node: string) => JSON.stringify([run, node]);
  http.route('/node', async (request, response) => {
    const query = new URL(request.url ?? '', 'http://x').searchParams;
    const run = query.get('run') ?? '';
    const node = query.get('node') ?? '';
    counts.set(keyOf(run, node), (counts.get(keyOf(run, node)) ?? 0) + 1);
    if (node === options.holdNode) await released;
    await new Promise((resolve) => setTimeout(resolve, options.answerDelayMs));
    sendJson(response, 200, { run, node });
  });
  return {
    url: `${http.url}/node`,
    executions: (run, node) => counts.get(keyOf(run, node)) ?? 0,
    all: () =>
      [...counts].map(([key, executions]) => {
        const [run, node] = JSON.parse(key) as [string, string];
        return { run, node, executions };
      }),
    release: () => release(),
  };
}
