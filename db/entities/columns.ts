import { randomUUID } from 'node:crypto';
import { p } from '@mikro-orm/core';

/** A random UUID primary key, chosen in the application so an entity has its id before it is flushed. */
export const uuidPrimaryKey = () => p.uuid().primary().onCreate(() => randomUUID());

/** A timestamptz set once, when the row is created. */
export const createdAt = () => p.datetime().onCreate(() => new Date());

/** A timestamptz set when the row is created and again on each update through the ORM. */
export const updatedAt = () =>
  p
    .datetime()
    .onCreate(() => new Date())
    .onUpdate(() => new Date());

/** Whether a string can be a uuid key: checked before querying, since PostgreSQL rejects a malformed uuid. */
export function isUuid(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
}
