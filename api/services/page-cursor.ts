import { z } from 'zod';
import { ApiError } from '../http/api-error';

/**
 * Keyset pagination: a page ends at some row, and the next page starts strictly after its (timestamp, id). The
 * cursor is that pair as base64url JSON, opaque to clients, so rows added meanwhile never shift a page.
 */
export interface PagePosition {
  at: Date;
  id: string;
}

export function encodeCursor(position: PagePosition): string {
  return Buffer.from(JSON.stringify({ at: position.at.toISOString(), id: position.id })).toString('base64url');
}

/**
 * A cursor this API did not hand out answers 400 on `query.cursor`. The id is checked against the shape of the
 * listed rows' ids (a uuid unless `idSchema` says otherwise), since it goes into the query: a NUL or a non-uuid
 * there would fail in the database.
 */
export function decodeCursor(cursor: string, idSchema: z.ZodType<string> = z.uuid()): PagePosition {
  let decoded: unknown;
  try {
    // Node's base64url decoder skips characters outside its alphabet: a cursor with any is not one handed out.
    decoded = /^[A-Za-z0-9_-]+$/.test(cursor) ? JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) : undefined;
  } catch {
    decoded = undefined;
  }
  const parsed = z.object({ at: z.iso.datetime(), id: idSchema }).strict().safeParse(decoded);
  if (!parsed.success) {
    const message = 'not a cursor from a previous page';
    throw new ApiError(400, 'validation_failed', `invalid query: query.cursor: ${message}`, [{ path: 'query.cursor', message }]);
  }
  return { at: new Date(parsed.data.at), id: parsed.data.id };
}
