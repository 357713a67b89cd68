import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { createdAt, uuidPrimaryKey } from './columns';

export const Workspace = defineEntity({
  name: 'Workspace',
  tableName: 'workspaces',
  properties: (p) => ({
    id: uuidPrimaryKey(),
    name: p.text(),
    createdAt: createdAt(),
  }),
});

export type Workspace = InferEntity<typeof Workspace>;
