import type { EntityManager } from '@mikro-orm/postgresql';
import type { Request } from 'express';
import passport from 'passport';
import { Strategy as BearerStrategy } from 'passport-http-bearer';
import { ApiKey, Membership } from '../../db/entities';
import { isUuid } from '../../db/entities/columns';
import { knownScopes } from '../../contract/api-keys';
import { ApiError } from '../http/api-error';
import type { Principal } from '../http/define-route';
import type { AccessTokens } from './access-tokens';
import { hashToken } from './opaque-tokens';

/** Requests pick a workspace with this header; without it, a user acts in their personal workspace. */
export const WORKSPACE_HEADER = 'x-kai-workspace';

export const API_KEY_PREFIX = 'kai_key_';

/**
 * Resolves `Authorization: Bearer <access token | API key>` to a principal through passport's bearer strategy.
 * No header: undefined (public routes still work). A header that does not verify: 401.
 */
export function createAuthenticator(tokens: AccessTokens) {
  const authenticator = new passport.Passport();
  authenticator.use(
    new BearerStrategy({ passReqToCallback: true }, (request: Request, token: string, done: (error: unknown, principal?: Principal | false) => void) => {
      const em = (request as Request & { kaiEm: EntityManager }).kaiEm;
      resolvePrincipal(em, tokens, token, request.get(WORKSPACE_HEADER)).then(
        (principal) => done(null, principal ?? false),
        (error: unknown) => done(error),
      );
    }),
  );
  return (request: Request, em: EntityManager): Promise<Principal | undefined> => {
    if (!request.headers.authorization) return Promise.resolve(undefined);
    Object.assign(request, { kaiEm: em });
    return new Promise((resolve, reject) => {
      authenticator.authenticate('bearer', { session: false }, (error: unknown, principal: Principal | false) => {
        if (error) reject(error);
        else if (!principal) reject(ApiError.unauthorized('the Bearer token is invalid, expired or revoked'));
        else resolve(principal);
      })(request, undefined as never, reject);
    });
  };
}

async function resolvePrincipal(em: EntityManager, tokens: AccessTokens, token: string, workspaceHeader: string | undefined): Promise<Principal | undefined> {
  if (token.startsWith(API_KEY_PREFIX)) return principalOfApiKey(em, token);
  const claims = tokens.verify(token);
  if (!claims) return undefined;
  if (workspaceHeader !== undefined && !isUuid(workspaceHeader)) throw ApiError.notFound('workspace');
  const membership = workspaceHeader
    ? await em.findOne(Membership, { user: claims.userId, workspace: workspaceHeader })
    : await em.findOne(Membership, { user: claims.userId, role: 'owner' }, { orderBy: { createdAt: 'asc' } });
  if (!membership) {
    if (workspaceHeader) throw ApiError.notFound('workspace');
    return undefined;
  }
  return { userId: claims.userId, email: claims.email, workspaceId: membership.workspace.id, role: membership.role, via: 'token' };
}

/** An API key acts as its creator, in the workspace it was made for, with the creator's current role there, within its scopes. */
async function principalOfApiKey(em: EntityManager, key: string): Promise<Principal | undefined> {
  const apiKey = await em.findOne(ApiKey, { keyHash: hashToken(key), revokedAt: null }, { populate: ['user'] });
  if (!apiKey) return undefined;
  const membership = await em.findOne(Membership, { user: apiKey.user.id, workspace: apiKey.workspace.id });
  if (!membership) return undefined;
  await em.nativeUpdate(ApiKey, { id: apiKey.id }, { lastUsedAt: new Date() });
  return {
    userId: apiKey.user.id,
    email: apiKey.user.getEntity().email,
    workspaceId: apiKey.workspace.id,
    role: membership.role,
    via: 'apiKey',
    scopes: knownScopes(apiKey.scopes),
  };
}

