import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Request, RequestHandler } from 'express';
import type { Logger } from 'pino';
import type { Principal } from './define-route';

export const REQUEST_ID_HEADER = 'x-request-id';

/** An incoming request id is kept only if it is a plain token, so a client cannot inject text into logs or headers. */
const SANE_REQUEST_ID = /^[A-Za-z0-9._:+=-]{1,128}$/;

/** Unmatched paths are logged (matched ones log their route pattern, never ids), cut to this length. */
const MAX_LOGGED_PATH = 200;

/** Field names whose values never reach the logs, at any of the first four levels of a logged object. */
const SECRET_FIELDS = [
  'authorization',
  'cookie',
  '["set-cookie"]',
  '["x-api-key"]',
  'password',
  'newPassword',
  'currentPassword',
  'passwordHash',
  'token',
  'accessToken',
  'refreshToken',
  'secret',
  'clientSecret',
  'secretKey',
  'apiKey',
  'api_key',
  'key',
  'privateKey',
  'body',
];
const REDACTED_PATHS = SECRET_FIELDS.flatMap((field) => {
  const member = field.startsWith('[') ? field : `.${field}`;
  return [field, `*${member}`, `*.*${member}`, `*.*.*${member}`];
});

interface RequestContext {
  log: Logger;
  /** The matched route's pattern (`/api/v1/workflows/:workflowId`), noted when the route starts handling. */
  route?: string;
  principal?: Principal;
}

const contexts = new WeakMap<Request, RequestContext>();

/**
 * One structured line per request when its response ends: request id (a sane incoming X-Request-Id, else a new
 * one, echoed back), method, route pattern, status, duration and, once authenticated, user and workspace. Nothing
 * from headers, cookies or bodies is logged, and the logger redacts secret-named fields as a second guard.
 */
export function requestLogging(logger: Logger): RequestHandler {
  const redacting = logger.child({}, { redact: { paths: REDACTED_PATHS, censor: '[redacted]' } });
  return (request, response, next) => {
    const started = process.hrtime.bigint();
    const incoming = request.get(REQUEST_ID_HEADER);
    const reqId = incoming !== undefined && SANE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
    const context: RequestContext = { log: redacting.child({ reqId }) };
    contexts.set(request, context);
    response.set(REQUEST_ID_HEADER, reqId);
    response.once('close', () => {
      const route = routeOf(request);
      const line = {
        method: request.method,
        route,
        ...(route === undefined ? { path: request.path.slice(0, MAX_LOGGED_PATH) } : {}),
        status: response.statusCode,
        durationMs: Number((process.hrtime.bigint() - started) / 1000n) / 1000,
        userId: context.principal?.userId,
        workspaceId: context.principal?.workspaceId,
      };
      if (!response.writableFinished) context.log.warn(line, 'request aborted by the client');
      else if (response.statusCode >= 500) context.log.error(line, 'request failed');
      else if (response.statusCode >= 400) context.log.warn(line, 'request rejected');
      else context.log.info(line, 'request completed');
    });
    next();
  };
}

/** The pattern of the route that handled the request (`/api/v1/runs/:runId`); undefined when none matched. */
export function routeOf(request: Request): string | undefined {
  return contexts.get(request)?.route ?? (request.route ? `${request.baseUrl}${String(request.route.path)}` : undefined);
}

/** This request's logger: bound to its request id and redacting, or `fallback` outside {@link requestLogging}. */
export function requestLog(request: Request, fallback: Logger): Logger {
  return contexts.get(request)?.log ?? fallback;
}

type Authenticate = (request: Request, em: EntityManager) => Promise<Principal | undefined>;

/**
 * Wraps a route's authentication so the request's log line names the route and the caller: it runs when a route
 * has matched, while the route's full pattern is still known (Express forgets the mount path once an error leaves
 * the router).
 */
export function withCallerLogged(authenticate: Authenticate): Authenticate {
  return async (request, em) => {
    const context = contexts.get(request);
    if (context && request.route) context.route = `${request.baseUrl}${String(request.route.path)}`;
    const principal = await authenticate(request, em);
    if (context) context.principal = principal;
    return principal;
  };
}
