import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The API process's Prometheus series, served at GET /metrics. One registry per process, like the process's own
 * counters: several app instances in one process (tests) add to the same series.
 */
export const apiRegistry = new Registry();
collectDefaultMetrics({ register: apiRegistry, prefix: 'kai_api_' });

export const httpRequestDuration = new Histogram({
  name: 'kai_http_request_duration_seconds',
  help: 'HTTP requests by route pattern (never the raw path), method and status',
  labelNames: ['method', 'route', 'status'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  registers: [apiRegistry],
});

export const runsStarted = new Counter({
  name: 'kai_runs_started_total',
  help: 'Runs Temporal accepted, by trigger (api, rerun, webhook, schedule, …)',
  labelNames: ['trigger'] as const,
  registers: [apiRegistry],
});

export const runsFinished = new Counter({
  name: 'kai_runs_finished_total',
  help: 'Runs the run index recorded as closed, by trigger and final status',
  labelNames: ['trigger', 'status'] as const,
  registers: [apiRegistry],
});

export const webhookDeliveries = new Counter({
  name: 'kai_webhook_deliveries_total',
  help: 'Webhook deliveries answered, by HTTP status',
  labelNames: ['status'] as const,
  registers: [apiRegistry],
});

export const sseClients = new Gauge({
  name: 'kai_sse_clients',
  help: 'Open Server-Sent Event streams of run events',
  registers: [apiRegistry],
});
