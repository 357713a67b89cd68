import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { createdAt, uuidPrimaryKey } from './columns';
import { EmailType } from './email-type';
import { User } from './user';
import { Workspace } from './workspace';

export const INVITED_ROLES = ['editor', 'viewer'] as const;

/**
 * An owner's offer of a role in a workspace to an email address, whether or not an account has it; a membership
 * exists only once the account with that email accepts. Answered, declined or revoked invitations are deleted.
 */
export const Invitation = defineEntity({
  name: 'Invitation',
  tableName: 'invitations',
  properties: (p) => ({
    id: uuidPrimaryKey(),
    workspace: p.manyToOne(Workspace).ref().deleteRule('cascade'),
    email: p.type(EmailType).index(),
    role: p.enum([...INVITED_ROLES]),
    invitedBy: p.manyToOne(User).ref().deleteRule('cascade'),
    createdAt: createdAt(),
    expiresAt: p.datetime(),
  }),
  uniques: [{ properties: ['workspace', 'email'] }],
});

export type Invitation = InferEntity<typeof Invitation>;
