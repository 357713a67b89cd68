import type { EntityManager } from '@mikro-orm/postgresql';
import { ChatEndpoint } from '../../db/entities';
import type { ChatEndpointDto } from '../../contract/public-chat';
import { ApiError } from '../http/api-error';
import type { Principal } from '../http/define-route';
import { chatTokenHash, newChatToken } from '../public-chat/provision-chat-endpoints';
import { WorkflowService } from './workflow-service';

/** The public chat endpoints of a workspace's workflows: created by publishing, listed and given tokens here. */
export class ChatEndpointService {
  constructor(
    private readonly em: EntityManager,
    private readonly principal: Principal,
  ) {}

  async list(workflowId: string): Promise<{ items: ChatEndpointDto[] }> {
    await new WorkflowService(this.em, this.principal).find(workflowId);
    const endpoints = await this.em.find(ChatEndpoint, { workflow: workflowId, workspace: this.principal.workspaceId }, { orderBy: { nodeId: 'asc' } });
    return { items: endpoints.map(toChatEndpointDto) };
  }

  /** A new bearer token, returned this once; the previous one stops working at once. */
  async issueToken(endpointId: string): Promise<{ token: string }> {
    const endpoint = await this.em.findOne(ChatEndpoint, { id: endpointId, workspace: this.principal.workspaceId });
    if (!endpoint) throw new ApiError(404, 'not_found', 'chat endpoint not found', [{ path: 'params.endpointId', message: 'no such chat endpoint in this workspace' }]);
    const token = newChatToken();
    endpoint.tokenHash = chatTokenHash(token) as ChatEndpoint['tokenHash'];
    await this.em.flush();
    return { token };
  }
}

function toChatEndpointDto(endpoint: ChatEndpoint): ChatEndpointDto {
  return {
    id: endpoint.id,
    nodeId: endpoint.nodeId,
    enabled: endpoint.enabled,
    authMode: endpoint.authMode,
    hasToken: endpoint.tokenHash !== null,
    rateLimitPerMinute: endpoint.rateLimitPerMinute,
    allowedOrigins: endpoint.allowedOrigins,
    apiPath: `/api/chat/${endpoint.id}`,
    pagePath: `/chat/${endpoint.id}`,
  };
}
