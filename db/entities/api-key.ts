import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { createdAt, uuidPrimaryKey } from './columns';
import { User } from './user';
import { Workspace } from './workspace';

/**
 * A workspace key for scripts and the CLI; it acts as the user who created it, within its scopes (see
 * contract/api-keys.ts). Only its hash is kept.
 */
export const ApiKey = defineEntity({
  name: 'ApiKey',
  tableName: 'api_keys',
  properties: (p) => ({
    id: uuidPrimaryKey(),
    workspace: p.manyToOne(Workspace).ref().deleteRule('cascade').index(),
    user: p.manyToOne(User).ref().deleteRule('cascade'),
    name: p.text(),
    /** The key's first characters, shown in lists so people can tell their keys apart. */
    prefix: p.text(),
    keyHash: p.text().unique().hidden(),
    scopes: p.array(),
    createdAt: createdAt(),
    lastUsedAt: p.datetime().nullable(),
    revokedAt: p.datetime().nullable(),
  }),
});

export type ApiKey = InferEntity<typeof ApiKey>;
