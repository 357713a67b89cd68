import { OpenTelemetryPlugin, OpenTelemetryWorkflowClientInterceptor } from '@temporalio/interceptors-opentelemetry';
import type { WorkflowClientInterceptor } from '@temporalio/client';
import type { Tracing } from './tracing';

/**
 * Carries the caller's active span into the workflows a client starts, signals or queries (as a Temporal header).
 * Without a registered tracer provider (tracing off) the spans are no-ops and nothing is carried.
 */
export function tracingClientInterceptors(): WorkflowClientInterceptor[] {
  return [new OpenTelemetryWorkflowClientInterceptor()];
}

/**
 * The worker side: a span per workflow run and per activity attempt, children of the span that started the run.
 * Workflow spans are made in the sandbox and leave it through a sink to `tracing.spanProcessor`; a prebuilt
 * workflow bundle must include {@link WORKFLOW_TRACING_MODULES} for them to exist.
 */
export function workerTracingPlugin(tracing: Tracing): OpenTelemetryPlugin {
  return new OpenTelemetryPlugin({ resource: tracing.resource, spanProcessor: tracing.spanProcessor });
}

export const WORKFLOW_TRACING_MODULES = [require.resolve('@temporalio/interceptors-opentelemetry/lib/workflow-interceptors')];
