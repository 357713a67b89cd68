import { z } from 'zod';
import { emailSchema, roleSchema } from './auth';

/** Request and response shapes of /api/v1/workspaces and /invitations; shared by the server and the canvas. */

export const createWorkspaceBody = z.object({ name: z.string().trim().min(1).max(100) }).strict();
export const memberDto = z.object({ userId: z.uuid(), email: z.string(), role: roleSchema });

/** Owners are made by creating a workspace, never by invitation. */
export const invitedRoleSchema = z.enum(['editor', 'viewer']);
export const inviteBody = z.object({ email: emailSchema, role: invitedRoleSchema }).strict();

/** What the workspace's owners see: the same for an email with an account and one without. */
export const invitationDto = z.object({
  id: z.uuid(),
  email: z.string(),
  role: invitedRoleSchema,
  createdAt: z.iso.datetime(),
  expiresAt: z.iso.datetime().describe('after this the invitation can no longer be accepted; inviting again renews it'),
});

/** What the invitee sees in `GET /invitations`. */
export const receivedInvitationDto = z.object({
  id: z.uuid(),
  workspace: z.object({ id: z.uuid(), name: z.string() }),
  role: invitedRoleSchema,
  invitedBy: z.string().describe("the inviting owner's email"),
  expiresAt: z.iso.datetime(),
});
