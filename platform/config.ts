import path from 'node:path';
import { z } from 'zod';
import type { ProtectedEndpoint } from '../activities/net/outbound-guard';
import { allowEntryProblem } from '../activities/net/outbound-policy';
import { durationToMs, isDuration } from '../engine/duration';
import { parseActivityRoutes } from '../engine/route-activities';

const port = z.coerce.number().int().min(1).max(65535);
const flag = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

export const envSchema = z.object({
  PORT: port.default(3000),
  KAI_DATA_DIR: z.string().min(1).default('./data'),
  /** Unset: `npm start` runs a local Temporal dev server. Set: connect to that cluster or Temporal Cloud. */
  TEMPORAL_ADDRESS: z.string().regex(/^[^\s:]+:\d+$/, 'expected host:port').optional(),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('kai-fusion'),
  TEMPORAL_TLS: flag.default(false),
  TEMPORAL_TLS_CERT_PATH: z.string().optional(),
  TEMPORAL_TLS_KEY_PATH: z.string().optional(),
  TEMPORAL_API_KEY: z.string().optional(),
  /** Base URL of Temporal Web UI for run links; `npm start` sets it for its dev server. */
  TEMPORAL_UI_URL: z.url().optional(),
  TEMPORAL_DEV_PORT: port.default(7233),
  TEMPORAL_UI_PORT: port.default(8233),
  TEMPORAL_CLI: z.string().optional(),
  /** Node outputs over this many JSON bytes are stored outside Temporal and passed by reference. */
  KAI_OUTPUT_INLINE_LIMIT: z.coerce.number().int().min(1024).max(1_500_000).default(256 * 1024),
  /** A prebuilt workflow bundle (tests, benchmarks); unset, the worker bundles workflows/ at start. */
  KAI_WORKFLOW_BUNDLE: z.string().optional(),
  /** Unset: an embedded PGlite database (with pgvector) under KAI_DATA_DIR/pg, served on loopback to the children. */
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'expected a postgres:// URL').optional(),
  /** Port of the embedded database's loopback socket; 0 picks a free one. */
  KAI_EMBEDDED_DB_PORT: z.coerce.number().int().min(0).max(65535).default(0),
  /** 32 bytes, base64 or hex: encrypts credential secrets (AES-256-GCM). Generated into the data dir when unset, except in production. */
  KAI_ENCRYPTION_KEY: z.string().optional(),
  /** Signs access tokens (HS256). Generated into the data dir when unset, except in production. */
  KAI_JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Port of the worker's own HTTP server (GET /health, GET /metrics); 0 turns it off. */
  KAI_WORKER_HTTP_PORT: z.coerce.number().int().min(0).max(65535).default(9464),
  /** Address the worker's HTTP server binds: loopback, unless a container's health check or scraper must reach it. */
  KAI_WORKER_HTTP_HOST: z.string().min(1).default('127.0.0.1'),
  /** host:port where the worker serves the Temporal SDK's own Prometheus metrics; unset, they are not served. */
  KAI_TEMPORAL_METRICS_ADDRESS: z.string().regex(/^[^\s:]+:\d+$/, 'expected host:port').optional(),
  /** OTLP/HTTP collector base URL (e.g. http://otel-collector:4318): set, the API and worker export traces there. */
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url().optional(),
  /** 32 bytes, base64 or hex: encrypts every Temporal payload (AES-256-GCM) when set; the same key on API, worker and CLI. */
  KAI_PAYLOAD_KEY: z.string().optional(),
  /** Id stored with each encrypted payload, so keys can rotate; unset, derived from the key. */
  KAI_PAYLOAD_KEY_ID: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'expected 1-64 letters, digits, dots, dashes or underscores').optional(),
  /** Earlier payload keys as `id:key` pairs, comma-separated, kept to decrypt histories written before a rotation. */
  KAI_PAYLOAD_PREVIOUS_KEYS: z.string().optional(),
  /** Comma-separated CIDR ranges, IP addresses and hostnames nodes may reach although they are private or loopback. */
  KAI_OUTBOUND_ALLOW: z
    .string()
    .transform((list) => list.split(',').map((entry) => entry.trim()).filter(Boolean))
    .superRefine((entries, context) => {
      for (const problem of entries.map(allowEntryProblem).filter(Boolean)) context.addIssue({ code: 'custom', message: problem as string });
    })
    .default([]),
  /** Lets nodes reach the application's own database when KAI_OUTBOUND_ALLOW covers its address; off, they never can. */
  KAI_OUTBOUND_ALLOW_APP_DATABASE: flag.default(false),
  /** `node-type=task-queue` pairs, comma-separated: those node types' activities run on workers of that queue. */
  KAI_ACTIVITY_ROUTES: z
    .string()
    .transform((text, context) => {
      try {
        return parseActivityRoutes(text);
      } catch (error) {
        context.addIssue({ code: 'custom', message: (error as Error).message });
        return z.NEVER;
      }
    })
    .default({}),
  /** Node attempts one worker runs at once (the SDK's maxConcurrentActivityTaskExecutions). */
  KAI_WORKER_MAX_CONCURRENT_ACTIVITIES: z.coerce.number().int().min(1).max(10_000).default(100),
  /**
   * Workflow tasks one worker handles at once (the SDK's maxConcurrentWorkflowTaskExecutions, whose default is 40). A
   * sync webhook or REST `wait` start hands its first workflow task to the worker in the start's answer only while a
   * slot is free; past that, tasks wait in the server's queue while new starts keep taking the freed slots, and at 50
   * concurrent sync webhooks p99 grew from 1.4 s to 4.4 s. Slots cost little: activations run one at a time anyway.
   */
  KAI_WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: z.coerce.number().int().min(2).max(10_000).default(200),
  /** Task-queue-wide cap on activities started per second, enforced by Temporal across every worker of the queue. */
  KAI_WORKER_ACTIVITIES_PER_SECOND: z.coerce.number().positive().optional(),
  /** Runs one schedule backfill may start: a longer range is refused (400) before any run starts. */
  /** How long the rows of test runs (drafts run from the canvas) are kept, e.g. "7d" or "12h"; production runs are kept. */
  KAI_TEST_RUN_RETENTION: z.string().refine(isDuration, 'expected a duration such as "12h" or "7d"').default('7d'),
  KAI_SCHEDULE_BACKFILL_MAX_RUNS: z.coerce.number().int().min(1).max(100_000).default(1_000),
});

export type Config = ReturnType<typeof loadConfig>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** The one place environment variables are read; a bad value stops start-up with the variable's name. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env) {
  const parsed = envSchema.safeParse(stripEmpty(env));
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`invalid configuration:\n${problems.join('\n')}`);
  }
  const values = parsed.data;
  if (values.TEMPORAL_TLS_CERT_PATH && !values.TEMPORAL_TLS_KEY_PATH) {
    throw new ConfigError('invalid configuration:\n  TEMPORAL_TLS_KEY_PATH: required when TEMPORAL_TLS_CERT_PATH is set');
  }
  if (values.NODE_ENV === 'production') {
    for (const name of ['KAI_ENCRYPTION_KEY', 'KAI_JWT_SECRET', 'DATABASE_URL'] as const) {
      if (!values[name]) throw new ConfigError(`invalid configuration:\n  ${name}: required when NODE_ENV=production`);
    }
  }
  const dataDir = path.resolve(values.KAI_DATA_DIR);
  return {
    port: values.PORT,
    dataDir,
    outputsDir: path.join(dataDir, 'outputs'),
    inlineOutputLimitBytes: values.KAI_OUTPUT_INLINE_LIMIT,
    workflowBundlePath: values.KAI_WORKFLOW_BUNDLE,
    logLevel: values.LOG_LEVEL,
    workerHttpPort: values.KAI_WORKER_HTTP_PORT,
    workerHttpHost: values.KAI_WORKER_HTTP_HOST,
    temporalMetricsAddress: values.KAI_TEMPORAL_METRICS_ADDRESS,
    otlpEndpoint: values.OTEL_EXPORTER_OTLP_ENDPOINT,
    outboundAllow: values.KAI_OUTBOUND_ALLOW,
    scheduleBackfillMaxRuns: values.KAI_SCHEDULE_BACKFILL_MAX_RUNS,
    testRunRetentionMs: durationToMs(values.KAI_TEST_RUN_RETENTION),
    outboundAllowAppDatabase: values.KAI_OUTBOUND_ALLOW_APP_DATABASE,
    workerTuning: {
      maxConcurrentActivities: values.KAI_WORKER_MAX_CONCURRENT_ACTIVITIES,
      maxConcurrentWorkflowTasks: values.KAI_WORKER_MAX_CONCURRENT_WORKFLOW_TASKS,
      activitiesPerSecond: values.KAI_WORKER_ACTIVITIES_PER_SECOND,
    },
    production: values.NODE_ENV === 'production',
    database: { url: values.DATABASE_URL, embeddedPort: values.KAI_EMBEDDED_DB_PORT, embeddedDir: path.join(dataDir, 'pg') },
    secrets: { encryptionKey: values.KAI_ENCRYPTION_KEY, jwtSecret: values.KAI_JWT_SECRET },
    temporal: {
      address: values.TEMPORAL_ADDRESS,
      namespace: values.TEMPORAL_NAMESPACE,
      taskQueue: values.TEMPORAL_TASK_QUEUE,
      activityRoutes: values.KAI_ACTIVITY_ROUTES,
      tls: values.TEMPORAL_TLS || Boolean(values.TEMPORAL_TLS_CERT_PATH) || Boolean(values.TEMPORAL_API_KEY),
      tlsCertPath: values.TEMPORAL_TLS_CERT_PATH,
      tlsKeyPath: values.TEMPORAL_TLS_KEY_PATH,
      apiKey: values.TEMPORAL_API_KEY,
      devPort: values.TEMPORAL_DEV_PORT,
      uiPort: values.TEMPORAL_UI_PORT,
      uiUrl: values.TEMPORAL_UI_URL?.replace(/\/+$/, ''),
      cliPath: values.TEMPORAL_CLI,
      payloadKeys: values.KAI_PAYLOAD_KEY ? { key: values.KAI_PAYLOAD_KEY, keyId: values.KAI_PAYLOAD_KEY_ID, previous: values.KAI_PAYLOAD_PREVIOUS_KEYS } : undefined,
    },
  };
}

/**
 * The installation's own services, which no node reaches even where KAI_OUTBOUND_ALLOW covers their address: the
 * application's database (unless KAI_OUTBOUND_ALLOW_APP_DATABASE), the Temporal frontend and its Web UI. Read from
 * the config when called, so a database URL known only once the embedded database serves is included.
 */
export function protectedEndpoints(config: Pick<Config, 'database' | 'temporal' | 'outboundAllowAppDatabase'>): ProtectedEndpoint[] {
  const endpoints: ProtectedEndpoint[] = [];
  const database = config.database.url ? new URL(config.database.url) : undefined;
  if (database?.hostname && !config.outboundAllowAppDatabase) {
    endpoints.push({ name: "the application's database", host: database.hostname, port: Number(database.port) || 5432, howToAllow: 'KAI_OUTBOUND_ALLOW_APP_DATABASE=true would allow it' });
  }
  const { address, devPort, uiPort, uiUrl } = config.temporal;
  const [temporalHost, temporalPort] = address ? address.split(':') : ['127.0.0.1', devPort];
  endpoints.push({ name: 'the Temporal server', host: temporalHost, port: Number(temporalPort) });
  const ui = uiUrl ? new URL(uiUrl) : undefined;
  if (ui) endpoints.push({ name: 'Temporal Web UI', host: ui.hostname.replace(/^\[|\]$/g, ''), port: Number(ui.port) || (ui.protocol === 'https:' ? 443 : 80) });
  else if (!address) endpoints.push({ name: 'Temporal Web UI', host: '127.0.0.1', port: uiPort });
  return endpoints;
}

function stripEmpty(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== ''));
}
