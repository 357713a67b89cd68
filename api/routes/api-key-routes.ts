import { z } from 'zod';
import { ApiKey } from '../../db/entities';
import { newOpaqueToken, hashToken } from '../auth/opaque-tokens';
import { apiKeyDto, createApiKeyBody, createdApiKeyResponse, DEFAULT_API_KEY_SCOPES, knownScopes, type ApiKeyScope } from '../../contract/api-keys';
import { ApiError } from '../http/api-error';
import { defineRoute, Reply, type Principal } from '../http/define-route';

const tag = 'API keys';

function toDto(key: ApiKey): z.infer<typeof apiKeyDto> {
  return {
    id: key.id,
    name: key.name,
    prefix: key.prefix,
    scopes: knownScopes(key.scopes),
    userId: key.user.id,
    createdAt: key.createdAt.toISOString(),
    lastUsedAt: key.lastUsedAt?.toISOString() ?? null,
    revokedAt: key.revokedAt?.toISOString() ?? null,
  };
}

/** Owners manage every key of the workspace; other members only their own, and do not see the rest. */
function keysVisibleTo(principal: Principal) {
  return principal.role === 'owner' ? { workspace: principal.workspaceId } : { workspace: principal.workspaceId, user: principal.userId };
}

/** A key cannot hand out more than it holds, or a leaked narrow key could mint itself a broad one. */
function checkGrantable(principal: Principal, scopes: readonly ApiKeyScope[]): void {
  if (principal.via !== 'apiKey') return;
  const beyond = scopes.filter((scope) => !principal.scopes?.includes(scope));
  if (beyond.length > 0) {
    throw new ApiError(403, 'forbidden', `this API key cannot grant scopes it does not hold: ${beyond.join(', ')}`, [{ path: 'body.scopes', message: `not held by this key: ${beyond.join(', ')}` }]);
  }
}

export const apiKeyRoutes = [
  defineRoute({
    method: 'post',
    path: '/api-keys',
    summary: `Create an API key acting as you in this workspace, limited to its scopes (by default ${DEFAULT_API_KEY_SCOPES.join(', ')}); the key is shown once`,
    tag,
    access: 'editor',
    apiKeyScope: 'admin',
    body: createApiKeyBody,
    status: 201,
    response: createdApiKeyResponse,
    handler: async ({ principal, body, em }) => {
      const scopes = [...new Set(body.scopes ?? DEFAULT_API_KEY_SCOPES)];
      checkGrantable(principal, scopes);
      const key = newOpaqueToken('kai_key');
      const apiKey = em.create(ApiKey, { workspace: principal.workspaceId, user: principal.userId, name: body.name, prefix: key.slice(0, 12), keyHash: hashToken(key), scopes });
      await em.flush();
      return new Reply(201, { ...toDto(apiKey), key });
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api-keys',
    summary: "API keys of this workspace (never the keys themselves): an owner's list has every member's, anyone else's only their own",
    tag,
    access: 'editor',
    apiKeyScope: 'admin',
    response: z.array(apiKeyDto),
    handler: async ({ principal, em }) => (await em.find(ApiKey, keysVisibleTo(principal), { orderBy: { createdAt: 'desc' } })).map(toDto),
  }),
  defineRoute({
    method: 'delete',
    path: '/api-keys/:apiKeyId',
    summary: "Revoke an API key; it stops working at once. Owners revoke anyone's, other members their own",
    tag,
    access: 'editor',
    apiKeyScope: 'admin',
    params: z.object({ apiKeyId: z.uuid() }).strict(),
    status: 204,
    handler: async ({ principal, params, em }) => {
      const where = { id: params.apiKeyId, ...keysVisibleTo(principal) };
      const revoked = await em.nativeUpdate(ApiKey, { ...where, revokedAt: null }, { revokedAt: new Date() });
      if (revoked === 0 && !(await em.findOne(ApiKey, where))) throw ApiError.notFound('API key');
      return new Reply(204, undefined);
    },
  }),
];
