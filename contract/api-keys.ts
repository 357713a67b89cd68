import { z } from 'zod';

/** Request and response shapes of /api/v1/api-keys; shared by the server and the canvas. */

/**
 * What an API key may do, on top of its creator's role. `read`: what a viewer reads; `run`: start, steer and stop
 * runs; `write`: create and change workflows, credentials, schedules, webhooks and collections; `admin`: manage API
 * keys, invitations and workspaces. A signed-in session is not limited by scopes.
 */
export const API_KEY_SCOPES = ['read', 'run', 'write', 'admin'] as const;
export const apiKeyScopeSchema = z.enum(API_KEY_SCOPES);
export type ApiKeyScope = z.infer<typeof apiKeyScopeSchema>;

/** A key made without naming its scopes may do everything but manage keys, members and workspaces. */
export const DEFAULT_API_KEY_SCOPES: readonly ApiKeyScope[] = ['read', 'run', 'write'];

/** The scopes stored for a key that this version knows; a name it does not know grants nothing. */
export function knownScopes(stored: readonly string[]): ApiKeyScope[] {
  return API_KEY_SCOPES.filter((scope) => stored.includes(scope));
}

export const createApiKeyBody = z
  .object({
    name: z.string().trim().min(1).max(100),
    scopes: z
      .array(apiKeyScopeSchema)
      .min(1)
      .max(API_KEY_SCOPES.length)
      .optional()
      .describe(`what the key may do; by default ${DEFAULT_API_KEY_SCOPES.join(', ')} (not admin). A key can only make keys with scopes it holds itself`),
  })
  .strict();

export const apiKeyDto = z.object({
  id: z.uuid(),
  name: z.string(),
  prefix: z.string().describe('the first characters of the key'),
  scopes: z.array(apiKeyScopeSchema),
  userId: z.uuid().describe('the member the key acts as'),
  createdAt: z.iso.datetime(),
  lastUsedAt: z.iso.datetime().nullable(),
  revokedAt: z.iso.datetime().nullable(),
});
export const createdApiKeyResponse = apiKeyDto.extend({ key: z.string().describe('shown once; store it now') });
