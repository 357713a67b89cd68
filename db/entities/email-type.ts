import { Type } from '@mikro-orm/core';

/**
 * Text stored lower-cased, on writes and in query conditions alike, so `Ada@Example.com` and `ada@example.com` are
 * one account and a lookup finds it whichever way it is typed.
 */
export class EmailType extends Type<string, string> {
  override convertToDatabaseValue(value: string): string {
    return value.toLowerCase();
  }

  override getColumnType(): string {
    return 'text';
  }
}
