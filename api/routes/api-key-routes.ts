import { z } from 'zod';
import { ApiKey } from '../../db/entities';
import { newOpaqueToken, hashToken } from '../auth/opaque-tokens';
import { apiKeyDto, createApiKeyBody, createdApiKeyResponse } from '../contract/auth';
import { ApiError } from '../http/api-error';
import { defineRoute, Reply } from '../http/define-route';

const tag = 'API keys';

function toDto(key: ApiKey): z.infer<typeof apiKeyDto> {
  return {
    id: key.id,
    name: key.name,
    prefix: key.prefix,
    createdAt: key.createdAt.toISOString(),
    lastUsedAt: key.lastUsedAt?.toISOString() ?? null,
    revokedAt: key.revokedAt?.toISOString() ?? null,
  };
}

export const apiKeyRoutes = [
  defineRoute({
    method: 'post',
    path: '/api-keys',
    summary: 'Create an API key acting as you in this workspace; the key is shown once',
    tag,
    access: 'editor',
    body: createApiKeyBody,
    status: 201,
    response: createdApiKeyResponse,
    handler: async ({ principal, body, em }) => {
      const key = newOpaqueToken('kai_key');
      const apiKey = em.create(ApiKey, { workspace: principal.workspaceId, user: principal.userId, name: body.name, prefix: key.slice(0, 12), keyHash: hashToken(key) });
      await em.flush();
      return new Reply(201, { ...toDto(apiKey), key });
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api-keys',
    summary: "This workspace's API keys (never the keys themselves)",
    tag,
    access: 'editor',
    response: z.array(apiKeyDto),
    handler: async ({ principal, em }) => (await em.find(ApiKey, { workspace: principal.workspaceId }, { orderBy: { createdAt: 'desc' } })).map(toDto),
  }),
  defineRoute({
    method: 'delete',
    path: '/api-keys/:apiKeyId',
    summary: 'Revoke an API key; it stops working at once',
    tag,
    access: 'editor',
    params: z.object({ apiKeyId: z.uuid() }).strict(),
    status: 204,
    handler: async ({ principal, params, em }) => {
      const revoked = await em.nativeUpdate(ApiKey, { id: params.apiKeyId, workspace: principal.workspaceId, revokedAt: null }, { revokedAt: new Date() });
      if (revoked === 0 && !(await em.findOne(ApiKey, { id: params.apiKeyId, workspace: principal.workspaceId }))) throw ApiError.notFound('API key');
      return new Reply(204, undefined);
    },
  }),
];
