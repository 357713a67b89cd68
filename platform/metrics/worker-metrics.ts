import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { NodeAttemptObservation } from '../../activities/execute-node';

/** The worker process's Prometheus series, served at GET /metrics on KAI_WORKER_HTTP_PORT. */
export const workerRegistry = new Registry();
collectDefaultMetrics({ register: workerRegistry, prefix: 'kai_worker_' });

const nodeExecutions = new Counter({
  name: 'kai_node_executions_total',
  help: 'Node activity attempts, by node type and outcome (succeeded, failed)',
  labelNames: ['type', 'status'] as const,
  registers: [workerRegistry],
});

const nodeDuration = new Histogram({
  name: 'kai_node_duration_seconds',
  help: 'Duration of node activity attempts, by node type and outcome',
  labelNames: ['type', 'status'] as const,
  buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
  registers: [workerRegistry],
});

const nodeRetries = new Counter({
  name: 'kai_node_retries_total',
  help: 'Node activity attempts after the first (attempt > 1), by node type',
  labelNames: ['type'] as const,
  registers: [workerRegistry],
});

/** The hook activities/execute-node.ts reports each attempt to; activities never import prom-client themselves. */
export function recordNodeAttempt(observation: NodeAttemptObservation): void {
  const labels = { type: observation.type, status: observation.status };
  nodeExecutions.inc(labels);
  nodeDuration.observe(labels, observation.durationMs / 1000);
  if (observation.attempt > 1) nodeRetries.inc({ type: observation.type });
}
