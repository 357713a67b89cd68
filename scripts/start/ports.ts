import { createServer } from 'node:net';
import { StartupError } from './startup-error';

export interface NamedPort {
  port: number;
  /** The variable that sets it, named in the error so the user knows what to change. */
  variable: string;
}

/** True when nothing listens on `port` on any local address. */
export function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, () => probe.close(() => resolve(true)));
  });
}

/**
 * A free port below the range the kernel picks outgoing connections' ports from (where a port found by listening on
 * port 0 lies): on a busy machine, such a port is often taken by some connection before a later `npm start` binds it.
 * For tests and benchmarks that start `npm start` on ports of their own.
 */
export async function unusedPort(): Promise<number> {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    if (await isPortFree(port)) return port;
  }
}

/**
 * Checks before anything starts: a busy Temporal port would otherwise let the dev server's readiness check reach
 * whatever already listens there, and a busy API port would only surface once the API child fails.
 */
export async function assertPortsFree(ports: NamedPort[]): Promise<void> {
  const busy: NamedPort[] = [];
  for (const entry of ports) if (!(await isPortFree(entry.port))) busy.push(entry);
  if (busy.length === 0) return;
  const lines = busy.map(({ port, variable }) => `  port ${port} (${variable}) is already in use`);
  throw new StartupError(
    `${lines.join('\n')}\nAnother \`npm start\` or Temporal dev server may be running: stop it, or choose free ports with the variables above.`,
  );
}
