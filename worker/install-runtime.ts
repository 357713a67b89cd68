import { Runtime } from '@temporalio/worker';
import type { Config } from '../platform/config';

/**
 * Configures the SDK's Rust core for this process. It runs once per process, before any connection is made, so
 * only the worker entrypoint calls it: with KAI_TEMPORAL_METRICS_ADDRESS set, the core serves its own Prometheus
 * metrics (task slots, poll latencies, schedule-to-start) there, beside the worker's /metrics.
 */
export function installWorkerRuntime(config: Pick<Config, 'temporalMetricsAddress'>): void {
  if (!config.temporalMetricsAddress) return;
  Runtime.install({ telemetryOptions: { metrics: { prometheus: { bindAddress: config.temporalMetricsAddress } } } });
}
