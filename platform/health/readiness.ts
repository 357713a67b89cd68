/** One dependency a process needs in order to do its work; `probe` throws (or rejects) when it is not usable. */
export interface HealthCheck {
  name: string;
  /** Resolves with details worth showing an operator (counts, versions); never secrets. */
  probe(): Promise<Record<string, unknown> | void>;
}

export interface ComponentHealth {
  status: 'up' | 'down';
  latencyMs: number;
  error?: string;
  [detail: string]: unknown;
}

export interface Readiness {
  status: 'ready' | 'not_ready';
  components: Record<string, ComponentHealth>;
}

/** A probe that takes longer than this counts as down: a readiness answer must come back fast, whatever hangs. */
const PROBE_TIMEOUT_MS = 3_000;

/** Runs every check at once; ready only when all are up. */
export async function checkReadiness(checks: readonly HealthCheck[], timeoutMs = PROBE_TIMEOUT_MS): Promise<Readiness> {
  const results = await Promise.all(checks.map(async (check) => [check.name, await runProbe(check, timeoutMs)] as const));
  const components = Object.fromEntries(results);
  return { status: results.every(([, health]) => health.status === 'up') ? 'ready' : 'not_ready', components };
}

async function runProbe(check: HealthCheck, timeoutMs: number): Promise<ComponentHealth> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  const latencyMs = () => Math.round((performance.now() - started) * 10) / 10;
  try {
    const details = await Promise.race([check.probe(), timeout]);
    return { status: 'up', latencyMs: latencyMs(), ...details };
  } catch (error) {
    return { status: 'down', latencyMs: latencyMs(), error: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
  }
}
