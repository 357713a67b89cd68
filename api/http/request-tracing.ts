import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { RequestHandler } from 'express';
import { routeOf } from './request-logging';

const tracer = trace.getTracer('kai-api');

/**
 * One server span per request, named by its route pattern once known, continuing an incoming `traceparent`. The
 * request and response emitters are bound to the span's context, so handlers that run after the body was read
 * (and the Temporal client calls they make) are inside it. A no-op while no tracer provider is registered.
 */
export function requestTracing(): RequestHandler {
  return (request, response, next) => {
    const parent = propagation.extract(context.active(), request.headers);
    const span = tracer.startSpan(request.method, { kind: SpanKind.SERVER, attributes: { 'http.request.method': request.method } }, parent);
    const active = trace.setSpan(parent, span);
    context.bind(active, request);
    context.bind(active, response);
    response.once('close', () => {
      const route = routeOf(request) ?? 'unmatched';
      span.updateName(`${request.method} ${route}`);
      span.setAttributes({ 'http.route': route, 'http.response.status_code': response.statusCode });
      if (response.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    });
    context.with(active, next);
  };
}
