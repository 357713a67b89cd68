import type { ErrorDetail } from '$contract/errors';
import { fieldLabel, inWords } from './in-words';

/** An error answer of the API, with its status, code and every detail kept (never flattened to a message). */
export class ApiRequestError extends Error {
  override name = 'ApiRequestError';

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ErrorDetail[] = [],
  ) {
    super(message);
  }

  /** Reads the API's `{ error: { code, message, details } }` body; anything else keeps the status and raw text. */
  static async fromResponse(response: Response): Promise<ApiRequestError> {
    const text = await response.text();
    try {
      const { error } = JSON.parse(text) as { error?: { code?: string; message?: string; details?: ErrorDetail[] } };
      if (error?.message) return new ApiRequestError(response.status, error.code ?? 'error', error.message, error.details ?? []);
    } catch {
      // not the API's JSON error body (a proxy's page, say): fall through to the raw text
    }
    return new ApiRequestError(response.status, 'http_error', `${response.status} ${response.statusText}${text ? `: ${text.slice(0, 200)}` : ''}`);
  }
}

/** A message fit to show a person, for any thrown value: a refused request's fields are named in words. */
export function messageOf(error: unknown): string {
  if (error instanceof ApiRequestError && error.code === 'validation_failed' && error.details.length > 0) return error.details.map(detailInWords).join('; ');
  return error instanceof Error ? error.message : String(error);
}

/** "Password: must be at least 10 characters" for `body.password: Too small: expected string to have >=10 characters`. */
export function detailInWords(detail: ErrorDetail): string {
  return detail.path ? `${fieldLabel(detail.path)}: ${inWords(detail.message)}` : inWords(detail.message);
}
