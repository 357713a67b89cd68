import { chatWorkflowParams } from '../../contract/chat';
import { chatEndpointListDto, chatEndpointParams, issuedChatTokenDto } from '../../contract/public-chat';
import { defineRoute, Reply } from '../http/define-route';
import { ChatEndpointService } from '../services/chat-endpoint-service';

const tag = 'Chat';
const endpoints = '/workflows/:workflowId/chat/endpoints';

export const chatEndpointRoutes = [
  defineRoute({
    method: 'get',
    path: endpoints,
    summary: "The workflow's public chat endpoints (one per published Chat trigger node), with their addresses and settings",
    tag,
    access: 'viewer',
    params: chatWorkflowParams,
    response: chatEndpointListDto,
    handler: async (input) => new ChatEndpointService(input.em, input.principal).list(input.params.workflowId),
  }),
  defineRoute({
    method: 'post',
    path: '/chat-endpoints/:endpointId/token',
    summary: 'Issue a new bearer token for a token-mode public chat (shown once; the previous token stops working)',
    tag,
    access: 'editor',
    params: chatEndpointParams,
    status: 201,
    response: issuedChatTokenDto,
    handler: async (input) => new Reply(201, await new ChatEndpointService(input.em, input.principal).issueToken(input.params.endpointId)),
  }),
];
