import { timingSafeEqual } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Request } from 'express';
import { ChatEndpoint, User, WorkflowVersion } from '../../db/entities';
import { ApiError } from '../http/api-error';
import type { Principal } from '../http/define-route';
import { chatTokenHash } from './provision-chat-endpoints';

/** An enabled public chat endpoint, and the principal its runs start as. */
export interface OpenedChatEndpoint {
  endpoint: ChatEndpoint;
  principal: Principal;
}

/**
 * The endpoint `endpointId`, once the caller has shown its token (token mode). An unknown or disabled id is a 404
 * naming params.endpointId; a missing or wrong token a 401, the same for both. Runs are started in the workspace as
 * the user who published the version, with nothing beyond starting runs of it (ChatService never uses more).
 */
export async function openChatEndpoint(em: EntityManager, endpointId: string, request: Request): Promise<OpenedChatEndpoint> {
  const endpoint = await em.findOne(ChatEndpoint, { id: endpointId, enabled: true });
  if (!endpoint) throw new ApiError(404, 'not_found', 'no published chat with this id', [{ path: 'params.endpointId', message: 'no published chat with this id' }]);
  if (endpoint.authMode === 'token') checkToken(endpoint, request.headers.authorization);
  const version = await em.findOneOrFail(WorkflowVersion, endpoint.version.id);
  const publisher = await em.findOneOrFail(User, version.createdBy.id);
  return {
    endpoint,
    principal: { userId: publisher.id, email: publisher.email, workspaceId: endpoint.workspace.id, role: 'editor', via: 'apiKey', scopes: ['run'] },
  };
}

function checkToken(endpoint: ChatEndpoint, authorization: string | undefined): void {
  const token = /^Bearer +(\S+)\s*$/i.exec(authorization ?? '')?.[1];
  // No token issued yet: nothing can match, and the answer is the same as for a wrong one.
  const expected = Buffer.from(endpoint.tokenHash ?? '', 'hex');
  const given = Buffer.from(chatTokenHash(token ?? ''), 'hex');
  if (!token || expected.length !== given.length || !timingSafeEqual(expected, given)) {
    throw new ApiError(401, 'unauthorized', 'send this chat\'s token as "authorization: Bearer <token>"', [{ path: 'headers.authorization', message: token ? 'wrong token' : 'missing' }], { 'www-authenticate': 'Bearer' });
  }
}
