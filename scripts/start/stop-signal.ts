export interface StopRequest {
  /** Resolves with the first SIGINT, SIGTERM or SIGHUP. */
  signal: Promise<NodeJS.Signals>;
  received(): NodeJS.Signals | undefined;
}

const STOP_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/**
 * Turns the first stop signal into a graceful shutdown and ignores later ones, which the shutdown's grace periods
 * already bound. A Ctrl-C under `npm start` arrives twice (the terminal sends it, and the tsx command relays its
 * copy), so a second signal cannot mean "force it".
 */
export function listenForStop(): StopRequest {
  let received: NodeJS.Signals | undefined;
  let resolve: (signal: NodeJS.Signals) => void = () => undefined;
  const signal = new Promise<NodeJS.Signals>((r) => (resolve = r));
  for (const name of STOP_SIGNALS) {
    process.on(name, () => {
      received ??= name;
      resolve(received);
    });
  }
  return { signal, received: () => received };
}
