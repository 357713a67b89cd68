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

const positionSchema = z.object({ at: z.iso.datetime(), id: z.string().min(1).max(200) }).strict();

export function encodeCursor(position: PagePosition): string {
  return Buffer.from(JSON.stringify({ at: position.at.toISOString(), id: position.id })).toString('base64url');
}

/** A cursor this API did not hand out answers 400 on `query.cursor`. */
export function decodeCursor(cursor: string): PagePosition {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    decoded = undefined;
  }
  const parsed = positionSchema.safeParse(decoded);
  if (!parsed.success) {
    const message = 'not a cursor from a previous page';
    throw new ApiError(400, 'validation_failed', `invalid query: query.cursor: ${message}`, [{ path: 'query.cursor', message }]);
  }
  return { at: new Date(parsed.data.at), id: parsed.data.id };
}
