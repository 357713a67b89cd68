import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { createdAt, uuidPrimaryKey } from './columns';
import { User } from './user';
import { Workspace } from './workspace';

export const MEMBERSHIP_ROLES = ['owner', 'editor', 'viewer'] as const;
export type MembershipRole = (typeof MEMBERSHIP_ROLES)[number];

export const Membership = defineEntity({
  name: 'Membership',
  tableName: 'memberships',
  properties: (p) => ({
    id: uuidPrimaryKey(),
    workspace: p.manyToOne(Workspace).ref().deleteRule('cascade'),
    user: p.manyToOne(User).ref().deleteRule('cascade').index(),
    role: p.enum([...MEMBERSHIP_ROLES]),
    createdAt: createdAt(),
  }),
  uniques: [{ properties: ['workspace', 'user'] }],
});

export type Membership = InferEntity<typeof Membership>;
