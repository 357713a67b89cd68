import { STATUS_CODES } from 'node:http';
import express, { type ErrorRequestHandler, type Express, type Response } from 'express';
import type { Logger } from 'pino';
import { GraphValidationError } from '../engine/graph-problem';
import type { ErrorBody, ErrorDetail } from '../contract/errors';
import { ApiError } from './http/api-error';
import { createApiRouter } from './http/api-router';
import { createDocsRouter } from './http/docs-page';
import { createHealthRouter } from './http/health-routes';
import { jsonNestingMessage, nestedDeeperThan } from './http/json-nesting';
import { createMetricsRouter, httpMetrics } from './http/metrics-routes';
import { createTemporalCodecRouter } from './http/temporal-codec-routes';
import { buildOpenApiDocument } from './http/openapi';
import { requestLog, requestLogging } from './http/request-logging';
import { requestTracing } from './http/request-tracing';
import { securityHeaders } from './http/security-headers';
import { serveCanvas } from './http/serve-canvas';
import { isUnstorable } from './http/storable-text';
import { apiRoutes } from './routes';
import type { ApiServices } from './services';
import { createChatPageRouter } from './public-chat/chat-page';
import { createPublicChatRouter } from './public-chat/public-chat-router';
import { createWebhookEndpoint } from './webhooks/webhook-endpoint';

export interface AppDeps {
  /** Unexpected errors are logged here; the client only learns that the request failed. */
  logger: Logger;
  /** Without services only /health is served (the API process before its database is reachable). */
  services?: ApiServices;
}

/**
 * The HTTP API. Routes go between the body parser and the 404 handler; anything they throw reaches the error
 * handler, which answers in the {@link ErrorBody} shape.
 */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(securityHeaders(), requestTracing(), requestLogging(deps.logger));
  app.use(httpMetrics());
  app.use(createHealthRouter(deps.services), createMetricsRouter());
  if (deps.services) app.use('/api/webhooks', createWebhookEndpoint(deps.services));
  if (deps.services) app.use('/api/temporal-codec', createTemporalCodecRouter(deps.services));
  app.use(express.json({ limit: '1mb', verify: refuseDeepNesting, reviver: refuseUnstorableText }));

  if (deps.services) {
    app.use('/api/v1', createApiRouter(deps.services));
    app.use('/api/chat', createPublicChatRouter(deps.services));
    app.use(createChatPageRouter(deps.services));
    app.use('/api', createDocsRouter(buildOpenApiDocument(apiRoutes)));
  }
  const canvas = serveCanvas();
  if (canvas) app.use(canvas);

  app.use((request, response) => sendError(response, 404, `no route for ${request.method} ${request.path}`));
  app.use(errorHandler(deps.logger));
  return app;
}

/** Checked on the raw text before parsing, so a body that would overflow the stack later is a 400 naming the limit. */
function refuseDeepNesting(_request: unknown, _response: unknown, body: Buffer): void {
  if (nestedDeeperThan(body.toString('utf8'))) throw new ApiError(400, 'bad_request', jsonNestingMessage);
}

/** A body with text that cannot be stored is refused as malformed, rather than failing where it is stored. */
function refuseUnstorableText(key: string, value: unknown): unknown {
  if (isUnstorable(key) || (typeof value === 'string' && isUnstorable(value))) {
    throw new SyntaxError('JSON strings must be well-formed Unicode without the NUL character (\\u0000)');
  }
  return value;
}

export function sendError(response: Response, status: number, message: string, details: ErrorDetail[] = [], code = codeOf(status)): void {
  const body: ErrorBody = { error: { code, message, details } };
  response.status(status).json(body);
}

/** `not_found`, `bad_request`, `payload_too_large`…: the status's reason phrase as an identifier; `internal` for 5xx. */
function codeOf(status: number): string {
  if (status >= 500) return 'internal';
  return (STATUS_CODES[status] ?? 'client_error').toLowerCase().replace(/[^a-z0-9]+/g, '_');
}

/** Client errors raised by Express and body-parser (http-errors, `expose: true`) keep their status and message. */
function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, request, response, next) => {
    if (response.headersSent) {
      next(error);
      return;
    }
    if (error instanceof ApiError) {
      response.set(error.headers);
      sendError(response, error.status, error.message, error.details, error.code);
      return;
    }
    if (error instanceof GraphValidationError) {
      sendError(response, 400, error.message.split('\n')[0], error.problems, 'invalid_graph');
      return;
    }
    if (isExposedClientError(error)) {
      sendError(response, error.status, error.message);
      return;
    }
    requestLog(request, logger).error({ err: error }, 'unexpected error');
    sendError(response, 500, 'the server failed to handle this request');
  };
}

function isExposedClientError(error: unknown): error is Error & { status: number } {
  if (!(error instanceof Error)) return false;
  const { status, expose } = error as Error & { status?: unknown; expose?: unknown };
  return typeof status === 'number' && status >= 400 && status < 500 && expose === true;
}
