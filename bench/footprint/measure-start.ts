import { startNpmStart, totalMiB } from '../lib/npm-start';
import { signUpOver, type RestSession } from '../lib/rest-session';
import { round, type Metric } from '../lib/results';
import { setChain } from '../lib/set-chain';

export interface StartFootprintOptions {
  /** How long `npm start` idles after its banner before its memory is read. */
  idleSeconds: number;
  /** How long REST starts with `wait` keep it busy, `concurrency` at a time, while its peak memory is sampled. */
  loadSeconds: number;
  concurrency: number;
  progress(line: string): void;
}

export interface StartFootprint {
  /** From spawning `npm start` (server build current) to its banner. */
  startupMs: number;
  /** Resident memory per part of the process tree, MiB, after the idle time. */
  idleMiB: Record<string, number>;
  peakMiB: number;
  runsPerSecond: number;
}

const SAMPLE_EVERY_MS = 250;
const CHAIN_LENGTH = 10;

/**
 * `npm start` as a user runs it, on a fresh data directory and ports of its own: how long it takes to come up, the
 * resident memory of its whole process tree when idle, and the peak while REST starts with `wait` of a chain of
 * Set nodes keep it busy.
 */
export async function measureStartFootprint(options: StartFootprintOptions): Promise<StartFootprint> {
  const started = await startNpmStart({ progress: options.progress });
  try {
    options.progress(`npm start came up in ${(started.startupMs / 1000).toFixed(1)} s; idling ${options.idleSeconds} s`);
    await new Promise((resolve) => setTimeout(resolve, options.idleSeconds * 1000));
    const idleMiB = started.treeMiB();
    options.progress(`REST starts with wait of Start → ${CHAIN_LENGTH} Set → End, ${options.concurrency} at a time for ${options.loadSeconds} s`);
    const load = await loadWithRestRuns(await signUpOver(started.origin), options, () => totalMiB(started.treeMiB()));
    return { startupMs: started.startupMs, idleMiB, ...load };
  } finally {
    await started.stop();
  }
}

async function loadWithRestRuns(session: RestSession, options: StartFootprintOptions, sampleMiB: () => number): Promise<{ peakMiB: number; runsPerSecond: number }> {
  const chain = setChain(CHAIN_LENGTH);
  const workflowId = await session.publishWorkflow(chain.graph);
  let peakMiB = sampleMiB();
  const sampler = setInterval(() => (peakMiB = Math.max(peakMiB, sampleMiB())), SAMPLE_EVERY_MS);
  const loadStarted = performance.now();
  const until = loadStarted + options.loadSeconds * 1000;
  let finished = 0;
  try {
    await Promise.all(
      Array.from({ length: options.concurrency }, async (_, connection) => {
        for (let serial = 0; performance.now() < until; serial++) {
          const seed = `footprint-${connection}-${serial}`;
          chain.check((await session.runAndWait(workflowId, chain.inputs(seed))).result, seed);
          finished++;
        }
      }),
    );
  } finally {
    clearInterval(sampler);
  }
  return { peakMiB, runsPerSecond: finished / ((performance.now() - loadStarted) / 1000) };
}

/** The figures of a footprint as table rows: start-up, idle memory per part and in all, peak memory and its load. */
export function footprintMetrics(footprint: StartFootprint, options: Pick<StartFootprintOptions, 'concurrency'>): Metric[] {
  return [
    { metric: 'start-up to banner', value: round(footprint.startupMs / 1000, 1), unit: 's' },
    ...Object.entries(footprint.idleMiB).map(([part, mib]) => ({ metric: `idle RSS, ${part}`, value: round(mib, 0), unit: 'MiB' })),
    { metric: 'idle RSS, whole tree', value: round(totalMiB(footprint.idleMiB), 0), unit: 'MiB' },
    { metric: `peak RSS, whole tree, ${options.concurrency} REST runs with wait at a time`, value: round(footprint.peakMiB, 0), unit: 'MiB' },
    { metric: `runs/s during that load (Start → ${CHAIN_LENGTH} Set → End)`, value: round(footprint.runsPerSecond, 1), unit: 'runs/s' },
  ];
}
