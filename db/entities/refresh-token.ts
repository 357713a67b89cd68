import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { createdAt, uuidPrimaryKey } from './columns';
import { User } from './user';

/**
 * One refresh token of a rotating family: using a token marks it used and issues the next one of its family; a used
 * token presented again means it leaked, and the whole family is revoked.
 */
export const RefreshToken = defineEntity({
  name: 'RefreshToken',
  tableName: 'refresh_tokens',
  properties: (p) => ({
    id: uuidPrimaryKey(),
    user: p.manyToOne(User).ref().deleteRule('cascade').index(),
    familyId: p.uuid().index(),
    tokenHash: p.text().unique().hidden(),
    expiresAt: p.datetime(),
    usedAt: p.datetime().nullable(),
    revokedAt: p.datetime().nullable(),
    createdAt: createdAt(),
  }),
});

export type RefreshToken = InferEntity<typeof RefreshToken>;
