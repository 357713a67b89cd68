import { z } from 'zod';
import { Membership, User } from '../../db/entities';
import { clearRefreshCookie, refreshTokenOfCookie, sessionWithCookie, spendRefreshToken } from '../auth/refresh-cookie';
import { meResponse, refreshBody, refreshedSessionResponse, sessionResponse, signInBody, signUpBody } from '../../contract/auth';
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
    handler: async ({ body, em, services, request, response }) => new Reply(201, sessionWithCookie(request, response, await new AccountService(em, services.tokens).signUp(body))),
  }),
  defineRoute({
    method: 'post',
    path: '/auth/signin',
    summary: 'Sign in with email and password (throttled per account and per address)',
    tag,
    access: 'public',
    body: signInBody,
    response: sessionResponse,
    handler: async ({ body, em, services, request, response }) =>
      sessionWithCookie(request, response, await new AccountService(em, services.tokens).signIn(body, request.ip ?? 'unknown')),
  }),
  defineRoute({
    method: 'post',
    path: '/auth/refresh',
    summary: 'Exchange a refresh token (the kai_refresh cookie, or the body) for a new token pair (reuse of a spent token revokes its family)',
    tag,
    access: 'public',
    body: refreshBody,
    response: refreshedSessionResponse,
    handler: ({ body, em, services, request, response }) =>
      spendRefreshToken(request, response, body.refreshToken, (token) => new AccountService(em, services.tokens).refresh(token)),
  }),
  defineRoute({
    method: 'post',
    path: '/auth/signout',
    summary: 'Revoke the refresh token (the kai_refresh cookie, or the body) and every token of its family, and clear the cookie',
    tag,
    access: 'public',
    body: refreshBody,
    status: 204,
    handler: async ({ body, em, services, request, response }) => {
      const token = body.refreshToken ?? refreshTokenOfCookie(request);
      if (token) await new AccountService(em, services.tokens).signOut(token);
      clearRefreshCookie(request, response);
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
