import { z } from 'zod';
import { credentialKindNames, credentialKinds, type CredentialKind } from '../activities/credential-kinds';

/**
 * Request and response shapes of /api/v1/credentials; shared by the server and the canvas. No response shape has
 * room for a secret value: secret fields are only ever named.
 */

export const credentialKindSchema = z.enum(credentialKindNames);
export const credentialNameSchema = z.string().trim().min(1).max(100);

function createBodyOf<K extends CredentialKind>(kind: K) {
  return z.object({ name: credentialNameSchema, kind: z.literal(kind), data: credentialKinds[kind].schema }).strict();
}

const [firstCreateBody, ...otherCreateBodies] = credentialKindNames.map(createBodyOf);

/** `data` is checked against the schema of `kind`, so a bad field is reported as `body.data.<field>`. */
export const createCredentialBody = z.discriminatedUnion('kind', [firstCreateBody, ...otherCreateBodies], {
  error: (issue) => (issue.code === 'invalid_union' ? `must be one of: ${credentialKindNames.join(', ')}` : undefined),
});
export type CreateCredentialBody = z.infer<typeof createCredentialBody>;

export const updateCredentialBody = z
  .object({
    name: credentialNameSchema.optional(),
    data: z
      .record(z.string(), z.unknown())
      .optional()
      .describe("replaces the data, checked against the kind's schema; secret fields left out keep their stored values"),
  })
  .strict();
export type UpdateCredentialBody = z.infer<typeof updateCredentialBody>;

export const credentialDto = z.object({
  id: z.uuid(),
  name: z.string(),
  kind: credentialKindSchema,
  publicData: z.record(z.string(), z.unknown()).describe('the fields that are not secret'),
  secretFields: z.array(z.string()).describe('names of the secret fields: stored encrypted, never returned'),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type CredentialDto = z.infer<typeof credentialDto>;

export const credentialKindDto = z.object({
  kind: credentialKindSchema,
  label: z.string(),
  schema: z.record(z.string(), z.unknown()).describe("JSON Schema of the kind's data"),
  secretFields: z.array(z.string()),
});
export type CredentialKindDto = z.infer<typeof credentialKindDto>;
