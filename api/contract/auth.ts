import { z } from 'zod';

/** Request and response shapes of /api/v1/auth; shared by the server and the canvas (workspaces.ts and api-keys.ts hold the rest). */

export const emailSchema = z.email('must be an email address').max(254).transform((email) => email.toLowerCase());
export const passwordSchema = z.string().min(10, 'must be at least 10 characters').max(200);

export const signUpBody = z.object({ email: emailSchema, password: passwordSchema, name: z.string().trim().min(1).max(100).optional() }).strict();
export const signInBody = z.object({ email: emailSchema, password: z.string().min(1).max(200) }).strict();
export const refreshBody = z.object({ refreshToken: z.string().min(1).max(200) }).strict();

export const sessionResponse = z.object({
  accessToken: z.string(),
  tokenType: z.literal('Bearer'),
  expiresIn: z.number().describe('seconds until the access token expires'),
  refreshToken: z.string().describe('single use: each refresh returns a new one'),
});
export type SessionResponse = z.infer<typeof sessionResponse>;

export const roleSchema = z.enum(['owner', 'editor', 'viewer']);

export const workspaceDto = z.object({ id: z.uuid(), name: z.string(), role: roleSchema });

export const meResponse = z.object({
  user: z.object({ id: z.uuid(), email: z.string(), name: z.string().nullable() }),
  workspace: workspaceDto.describe('the workspace this request acts in'),
  workspaces: z.array(workspaceDto),
  via: z.enum(['token', 'apiKey']),
});
