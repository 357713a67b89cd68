import { CHAIN_LOAD, runChainUnderFault } from './chain-under-fault';
import type { ChaosScenario } from './scenario';

/** The worker process dies (SIGKILL, as on an OOM kill) with 100 runs mid-chain; a new worker takes over. */
export const workerKill: ChaosScenario = {
  name: 'worker-kill',
  fault: 'SIGKILL the worker, start another',
  deadlineMs: 240_000,
  run: (context) =>
    runChainUnderFault(context, {
      ...CHAIN_LOAD,
      async inject(temporal, worker, releaseHeld) {
        await worker.kill();
        // The held calls are answered to the dead worker's sockets: those executions are lost with it.
        releaseHeld();
        const started = performance.now();
        await temporal.startWorker();
        return `worker SIGKILLed; the next one polled ${((performance.now() - started) / 1000).toFixed(1)} s later`;
      },
    }),
};
