import { CHAIN_LOAD, runChainUnderFault } from './chain-under-fault';
import type { ChaosScenario } from './scenario';

/**
 * The Temporal dev server stops (SIGTERM) and starts again on the same port over the same SQLite file while 100
 * runs are mid-chain; the worker process and the client stay up and must reconnect on their own. The calls in
 * flight are answered while the server is down, so their completions have nowhere to go at first.
 */
export const temporalRestart: ChaosScenario = {
  name: 'temporal-restart',
  fault: 'restart the Temporal dev server',
  deadlineMs: 240_000,
  run: (context) =>
    runChainUnderFault(context, {
      ...CHAIN_LOAD,
      async inject(temporal, _worker, releaseHeld) {
        const started = performance.now();
        await temporal.restartServer(releaseHeld);
        return `dev server stopped and serving again ${((performance.now() - started) / 1000).toFixed(1)} s later`;
      },
    }),
};
