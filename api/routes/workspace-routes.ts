import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { Membership, User, Workspace } from '../../db/entities';
import { addMemberBody, createWorkspaceBody, memberDto, workspaceDto } from '../contract/auth';
import { ApiError } from '../http/api-error';
import { defineRoute, Reply } from '../http/define-route';

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
      await requireMembership(em, principal.userId, params.workspaceId);
      const members = await em.find(Membership, { workspace: params.workspaceId }, { populate: ['user'], orderBy: { createdAt: 'asc' } });
      return members.map((m) => ({ userId: m.user.id, email: m.user.getEntity().email, role: m.role }));
    },
  }),
  defineRoute({
    method: 'post',
    path: '/workspaces/:workspaceId/members',
    summary: 'Add an existing user as editor or viewer (owners only)',
    tag,
    access: 'owner',
    params: workspaceParams,
    body: addMemberBody,
    status: 201,
    response: memberDto,
    handler: async ({ principal, params, body, em }) => {
      const own = await requireMembership(em, principal.userId, params.workspaceId);
      if (own.role !== 'owner') throw ApiError.forbidden('only owners add members');
      const user = await em.findOne(User, { email: body.email });
      if (!user) throw new ApiError(404, 'not_found', 'no account with this email', [{ path: 'body.email', message: 'no account with this email' }]);
      const existing = await em.findOne(Membership, { workspace: params.workspaceId, user: user.id });
      if (existing) throw ApiError.conflict(`this user is already a member (${existing.role})`);
      em.create(Membership, { workspace: params.workspaceId, user, role: body.role });
      await em.flush();
      return new Reply(201, { userId: user.id, email: user.email, role: body.role });
    },
  }),
];

/** Another workspace's id answers 404, exactly like one that does not exist. */
async function requireMembership(em: EntityManager, userId: string, workspaceId: string) {
  const membership = await em.findOne(Membership, { user: userId, workspace: workspaceId });
  if (!membership) throw ApiError.notFound('workspace');
  return membership;
}
