import { DefaultLogger, Runtime } from '@temporalio/worker';
import type { Config } from '../platform/config';

/**
 * Configures the SDK's Rust core for this process. It runs once per process, before any connection is made, so
 * only the worker entrypoints call it: with KAI_TEMPORAL_METRICS_ADDRESS set, the core serves its own Prometheus
 * metrics (task slots, poll latencies, schedule-to-start) there, beside the worker's /metrics.
 *
 * `npm start` (`embedded`) stops its worker itself, after the API, and wants the SDK's warnings, not its
 * state changes, in a terminal it shares with the user.
 */
export function installWorkerRuntime(config: Pick<Config, 'temporalMetricsAddress' | 'logLevel'>, options: { embedded?: boolean } = {}): void {
  if (!config.temporalMetricsAddress && !options.embedded) return;
  Runtime.install({
    ...(options.embedded && { shutdownSignals: [], logger: new DefaultLogger(config.logLevel === 'debug' || config.logLevel === 'trace' ? 'DEBUG' : 'WARN') }),
    ...(config.temporalMetricsAddress && { telemetryOptions: { metrics: { prometheus: { bindAddress: config.temporalMetricsAddress } } } }),
  });
}
