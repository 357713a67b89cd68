import { trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { Resource } from '@opentelemetry/resources';
import { BatchSpanProcessor, NodeTracerProvider, type SpanProcessor } from '@opentelemetry/sdk-trace-node';

export interface Tracing {
  resource: Resource;
  /** Where every span of this process goes, workflow spans included (the worker's sink hands them here). */
  spanProcessor: SpanProcessor;
  /** Flushes the spans not yet exported; call it before the process exits. */
  shutdown(): Promise<void>;
}

/**
 * Exports this process's traces over OTLP/HTTP to `endpoint` (the collector's base URL, as in
 * OTEL_EXPORTER_OTLP_ENDPOINT). It registers the global tracer provider, the async-local context manager and the
 * W3C trace-context propagator, which the Temporal interceptors use to carry a trace from the API request into
 * the workflow and its activities.
 */
export function startTracing(options: { serviceName: string; endpoint: string }): Tracing {
  const resource = new Resource({ 'service.name': options.serviceName });
  const spanProcessor = new BatchSpanProcessor(new OTLPTraceExporter({ url: `${options.endpoint.replace(/\/+$/, '')}/v1/traces` }), { scheduledDelayMillis: 1_000 });
  const provider = new NodeTracerProvider({ resource, spanProcessors: [spanProcessor] });
  provider.register();
  return { resource, spanProcessor, shutdown: () => provider.shutdown() };
}

/** A pino mixin: every log line written inside a traced operation names its trace and span. */
export function traceIdsMixin(): Record<string, string> {
  const span = trace.getActiveSpan();
  if (!span) return {};
  const { traceId, spanId } = span.spanContext();
  return { traceId, spanId };
}
