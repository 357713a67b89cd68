import { ApiRequestError } from './api-error';
import { inWords } from './in-words';

/** An API error split over a form: a message in words at each field it names, and the rest for the error banner. */
export interface FieldErrors {
  /** By field path inside the form (`password`, `data.apiKey`): the first message for that field. */
  fields: Record<string, string>;
  /** What no field of the form can show (null when every detail found its field). */
  rest: unknown;
}

/**
 * Places a refusal's details on the form's `fields` (paths as the request body holds them, without `body.`), so
 * each is shown once, where it is fixed; what names no field of the form stays for the banner.
 */
export function placeFieldErrors(error: unknown, fields: readonly string[]): FieldErrors {
  if (!(error instanceof ApiRequestError) || error.details.length === 0) return { fields: {}, rest: error };
  const placed: Record<string, string> = {};
  const unplaced = error.details.filter((detail) => {
    const field = detail.path?.replace(/^body\./, '');
    if (field === undefined || !fields.includes(field)) return true;
    placed[field] ??= inWords(detail.message);
    return false;
  });
  if (unplaced.length === error.details.length) return { fields: {}, rest: error };
  return { fields: placed, rest: unplaced.length === 0 ? null : new ApiRequestError(error.status, error.code, error.message, unplaced) };
}
