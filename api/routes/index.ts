import type { AnyRoute } from '../http/define-route';
import { apiKeyRoutes } from './api-key-routes';
import { authRoutes } from './auth-routes';
import { chatEndpointRoutes } from './chat-endpoint-routes';
import { chatRoutes } from './chat-routes';
import { collectionRoutes } from './collection-routes';
import { credentialRoutes } from './credential-routes';
import { invitationRoutes } from './invitation-routes';
import { nodeRoutes } from './node-routes';
import { runRoutes } from './run-routes';
import { scheduleRoutes } from './schedule-routes';
import { webhookRoutes } from './webhook-routes';
import { workflowRoutes } from './workflow-routes';
import { workspaceRoutes } from './workspace-routes';

/** Every route of /api/v1. The router, the OpenAPI document and the route-wide tests all read this one list. */
export const apiRoutes: readonly AnyRoute[] = [...authRoutes, ...workspaceRoutes, ...invitationRoutes, ...apiKeyRoutes, ...credentialRoutes, ...workflowRoutes, ...nodeRoutes, ...runRoutes, ...chatRoutes, ...chatEndpointRoutes, ...scheduleRoutes, ...webhookRoutes, ...collectionRoutes];
