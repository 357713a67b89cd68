import { z } from 'zod';

/** Request and response shapes of /api/v1/auth; shared by the server and the canvas (workspaces.ts and api-keys.ts hold the rest). */

export const emailSchema = z.email('must be an email address').max(254).transform((email) => email.toLowerCase());
export const passwordSchema = z.string().min(10, 'must be at least 10 characters').max(200);

export const signUpBody = z.object({ email: emailSchema, password: passwordSchema, name: z.string().trim().min(1).max(100).optional() }).strict();
export const signInBody = z.object({ email: emailSchema, password: z.string().min(1).max(200) }).strict();
/** Browsers send nothing: their refresh token is the httpOnly `kai_refresh` cookie, which the body's token overrides. */
export const refreshBody = z
  .object({ refreshToken: z.string().min(1).max(200).optional().describe('for clients without cookies; browsers use the kai_refresh cookie') })
  .strict()
  .default({});

export const sessionResponse = z.object({
  accessToken: z.string(),
  tokenType: z.literal('Bearer'),
  expiresIn: z.number().describe('seconds until the access token expires'),
  refreshToken: z
    .string()
    .describe('single use: each refresh returns a new one. Also set as the httpOnly, SameSite=Strict kai_refresh cookie (Path=/api/v1/auth)'),
});
export type SessionResponse = z.infer<typeof sessionResponse>;

/** A refresh through the cookie leaves the new token in the cookie alone, so no script on the page ever holds one. */
export const refreshedSessionResponse = sessionResponse.extend({
  refreshToken: sessionResponse.shape.refreshToken.optional().describe('only when the refresh token came in the body; the kai_refresh cookie holds it either way'),
});
export type RefreshedSessionResponse = z.infer<typeof refreshedSessionResponse>;

export const roleSchema = z.enum(['owner', 'editor', 'viewer']);

export const workspaceDto = z.object({ id: z.uuid(), name: z.string(), role: roleSchema });

export const meResponse = z.object({
  user: z.object({ id: z.uuid(), email: z.string(), name: z.string().nullable() }),
  workspace: workspaceDto.describe('the workspace this request acts in'),
  workspaces: z.array(workspaceDto),
  via: z.enum(['token', 'apiKey']),
});
