import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { createdAt, uuidPrimaryKey } from './columns';
import { EmailType } from './email-type';

export const User = defineEntity({
  name: 'User',
  tableName: 'users',
  properties: (p) => ({
    id: uuidPrimaryKey(),
    email: p.type(EmailType).unique(),
    passwordHash: p.text().hidden(),
    name: p.text().nullable(),
    createdAt: createdAt(),
  }),
  // Rows written around the ORM must keep the one-account-per-address rule too.
  checks: [{ name: 'users_email_lower_case_check', property: 'email', expression: 'email = lower(email)' }],
});

export type User = InferEntity<typeof User>;
