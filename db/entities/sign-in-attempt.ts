import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { createdAt, uuidPrimaryKey } from './columns';

/** Every sign-in, kept to throttle guessing per email and per client address over a recent window. */
export const SignInAttempt = defineEntity({
  name: 'SignInAttempt',
  tableName: 'sign_in_attempts',
  properties: (p) => ({
    id: uuidPrimaryKey(),
    email: p.text(),
    ip: p.text(),
    succeeded: p.boolean(),
    reason: p.text().nullable(),
    createdAt: createdAt(),
  }),
  indexes: [{ properties: ['email', 'createdAt'] }, { properties: ['ip', 'createdAt'] }],
});

export type SignInAttempt = InferEntity<typeof SignInAttempt>;
