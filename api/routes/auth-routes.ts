import { z } from 'zod';
import { Membership, User } from '../../db/entities';
import { meResponse, refreshBody, sessionResponse, signInBody, signUpBody } from '../contract/auth';
import { defineRoute, Reply } from '../http/define-route';
import { AccountService } from '../services/account-service';

const tag = 'Auth';

export const authRoutes = [
  defineRoute({
    method: 'post',
    path: '/auth/signup',
    summary: 'Create an account (with a personal workspace) and sign in',
    tag,
    access: 'public',
    body: signUpBody,
    status: 201,
    response: sessionResponse,
    handler: async ({ body, em, services }) => new Reply(201, await new AccountService(em, services.tokens).signUp(body)),
  }),
  defineRoute({
    method: 'post',
    path: '/auth/signin',
    summary: 'Sign in with email and password (throttled per account and per address)',
    tag,
    access: 'public',
    body: signInBody,
    response: sessionResponse,
    handler: ({ body, em, services, request }) => new AccountService(em, services.tokens).signIn(body, request.ip ?? 'unknown'),
  }),
  defineRoute({
    method: 'post',
    path: '/auth/refresh',
    summary: 'Exchange a refresh token for a new token pair (reuse of a spent token revokes its family)',
    tag,
    access: 'public',
    body: refreshBody,
    response: sessionResponse,
    handler: ({ body, em, services }) => new AccountService(em, services.tokens).refresh(body.refreshToken),
  }),
  defineRoute({
    method: 'post',
    path: '/auth/signout',
    summary: 'Revoke the refresh token and every token of its family',
    tag,
    access: 'public',
    body: refreshBody,
    status: 204,
    handler: async ({ body, em, services }) => {
      await new AccountService(em, services.tokens).signOut(body.refreshToken);
      return new Reply(204, undefined);
    },
  }),
  defineRoute({
    method: 'get',
    path: '/auth/me',
    summary: 'The signed-in user, the workspace this request acts in, and all their workspaces',
    tag,
    access: 'signedIn',
    response: meResponse,
    handler: async ({ principal, em }): Promise<z.infer<typeof meResponse>> => {
      const user = await em.findOneOrFail(User, principal.userId);
      const memberships = await em.find(Membership, { user: principal.userId }, { populate: ['workspace'], orderBy: { createdAt: 'asc' } });
      const workspaces = memberships.map((m) => ({ id: m.workspace.id, name: m.workspace.getEntity().name, role: m.role }));
      return {
        user: { id: user.id, email: user.email, name: user.name ?? null },
        workspace: workspaces.find((w) => w.id === principal.workspaceId) ?? { id: principal.workspaceId, name: '', role: principal.role },
        workspaces,
        via: principal.via,
      };
    },
  }),
];
