import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { createdAt, updatedAt, uuidPrimaryKey } from './columns';
import { Workspace } from './workspace';

/** Connection details for a node; the secret fields are kept only sealed (see db/secret-box.ts). */
export const Credential = defineEntity({
  name: 'Credential',
  tableName: 'credentials',
  properties: (p) => ({
    id: uuidPrimaryKey(),
    workspace: p.manyToOne(Workspace).ref().deleteRule('cascade'),
    name: p.text(),
    kind: p.text(),
    /** The fields that may be shown back to people. */
    publicData: p.json<Record<string, unknown>>(),
    /** The secret fields as JSON, sealed: `v1:<keyId>:<iv>:<tag>:<data>`. */
    secretCiphertext: p.text().hidden(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  }),
  uniques: [{ properties: ['workspace', 'name'] }],
});

export type Credential = InferEntity<typeof Credential>;
