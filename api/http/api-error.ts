import type { ZodError } from 'zod';
import type { ErrorDetail } from '../../contract/errors';

export type ErrorCode =
  | 'bad_request'
  | 'validation_failed'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'unprocessable'
  | 'rate_limited'
  | 'internal';

/** Every error the API answers with; the error middleware turns it into `{ error: { code, message, details } }`. */
export class ApiError extends Error {
  override name = 'ApiError';

  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly details: ErrorDetail[] = [],
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  static notFound(what: string): ApiError {
    return new ApiError(404, 'not_found', `${what} not found`);
  }

  static forbidden(message: string): ApiError {
    return new ApiError(403, 'forbidden', message);
  }

  static unauthorized(message = 'sign in or send a valid Bearer token'): ApiError {
    return new ApiError(401, 'unauthorized', message, [], { 'www-authenticate': 'Bearer' });
  }

  static conflict(message: string): ApiError {
    return new ApiError(409, 'conflict', message);
  }

  static fromZod(error: ZodError, where: 'body' | 'query' | 'params'): ApiError {
    const details = error.issues.map((issue) => ({ path: [where, ...issue.path.map(String)].join('.'), message: issue.message }));
    const first = details[0];
    return new ApiError(400, 'validation_failed', `invalid ${where}: ${first ? `${first.path}: ${first.message}` : 'malformed'}`, details);
  }
}
