import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { Membership, Workspace } from '../../db/entities';
import { workspaceDto } from '../../contract/auth';
import { createWorkspaceBody, invitationDto, inviteBody, memberDto } from '../../contract/workspaces';
import { ApiError } from '../http/api-error';
import { defineRoute, Reply, roleAtLeast, type Role } from '../http/define-route';
import { InvitationService } from '../services/invitation-service';

const tag = 'Workspaces';
const workspaceParams = z.object({ workspaceId: z.uuid() }).strict();

export const workspaceRoutes = [
  defineRoute({
    method: 'get',
    path: '/workspaces',
    summary: 'Workspaces the caller belongs to, with their role in each',
    tag,
    access: 'signedIn',
    response: z.array(workspaceDto),
    handler: async ({ principal, em }) => {
      const memberships = await em.find(Membership, { user: principal.userId }, { populate: ['workspace'], orderBy: { createdAt: 'asc' } });
      return memberships.map((m) => ({ id: m.workspace.id, name: m.workspace.getEntity().name, role: m.role }));
    },
  }),
  defineRoute({
    method: 'post',
    path: '/workspaces',
    summary: 'Create a workspace owned by the caller (select it with the X-Kai-Workspace header)',
    tag,
    access: 'signedIn',
    apiKeyScope: 'admin',
    body: createWorkspaceBody,
    status: 201,
    response: workspaceDto,
    handler: async ({ principal, body, em }) => {
      const workspace = em.create(Workspace, { name: body.name });
      em.create(Membership, { workspace, user: principal.userId, role: 'owner' });
      await em.flush();
      return new Reply(201, { id: workspace.id, name: workspace.name, role: 'owner' });
    },
  }),
  defineRoute({
    method: 'get',
    path: '/workspaces/:workspaceId/members',
    summary: 'Members of a workspace the caller belongs to',
    tag,
    access: 'viewer',
    params: workspaceParams,
    response: z.array(memberDto),
    handler: async ({ principal, params, em }) => {
      await requireRole(em, principal.userId, params.workspaceId, 'viewer');
      const members = await em.find(Membership, { workspace: params.workspaceId }, { populate: ['user'], orderBy: { createdAt: 'asc' } });
      return members.map((m) => ({ userId: m.user.id, email: m.user.getEntity().email, role: m.role }));
    },
  }),
  defineRoute({
    method: 'post',
    path: '/workspaces/:workspaceId/invitations',
    summary:
      'Invite an email as editor or viewer (owners only). The answer is the same whether or not an account has the email; ' +
      'the account that has it sees the invitation in GET /invitations and becomes a member only by accepting it within 7 days',
    tag,
    access: 'owner',
    apiKeyScope: 'admin',
    params: workspaceParams,
    body: inviteBody,
    status: 201,
    response: invitationDto,
    handler: async ({ principal, params, body, em }) => {
      await requireRole(em, principal.userId, params.workspaceId, 'owner');
      return new Reply(201, await new InvitationService(em).invite(params.workspaceId, principal.userId, body));
    },
  }),
  defineRoute({
    method: 'get',
    path: '/workspaces/:workspaceId/invitations',
    summary: 'Invitations of the workspace not yet accepted or declined, expired ones included (owners only)',
    tag,
    access: 'owner',
    apiKeyScope: 'admin',
    params: workspaceParams,
    response: z.array(invitationDto),
    handler: async ({ principal, params, em }) => {
      await requireRole(em, principal.userId, params.workspaceId, 'owner');
      return new InvitationService(em).listOfWorkspace(params.workspaceId);
    },
  }),
  defineRoute({
    method: 'delete',
    path: '/workspaces/:workspaceId/invitations/:invitationId',
    summary: 'Revoke an invitation: it can no longer be accepted (owners only)',
    tag,
    access: 'owner',
    apiKeyScope: 'admin',
    params: workspaceParams.extend({ invitationId: z.uuid() }).strict(),
    status: 204,
    handler: async ({ principal, params, em }) => {
      await requireRole(em, principal.userId, params.workspaceId, 'owner');
      await new InvitationService(em).revoke(params.workspaceId, params.invitationId);
      return new Reply(204, undefined);
    },
  }),
];

/**
 * The caller's role in the workspace the path names, which may differ from the one the request acts in. Another
 * workspace's id answers 404, exactly like one that does not exist.
 */
async function requireRole(em: EntityManager, userId: string, workspaceId: string, role: Role): Promise<void> {
  const membership = await em.findOne(Membership, { user: userId, workspace: workspaceId });
  if (!membership) throw ApiError.notFound('workspace');
  if (!roleAtLeast(membership.role, role)) throw ApiError.forbidden(`this needs the ${role} role in the workspace; you are ${membership.role}`);
}
