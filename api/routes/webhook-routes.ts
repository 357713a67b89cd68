import type { EntityManager } from '@mikro-orm/postgresql';
import type { Request } from 'express';
import { z } from 'zod';
import {
  deliveryPageDto,
  listDeliveriesQuery,
  listWebhooksQuery,
  rotateWebhookSecretBody,
  updateWebhookBody,
  webhookDto,
  webhookParams,
  webhookSecretDto,
} from '../../contract/webhooks';
import { defineRoute, type Principal } from '../http/define-route';
import type { ApiServices } from '../services';
import { WebhookEndpointService } from '../services/webhook-endpoints';

const tag = 'Webhooks';

function endpointsOf({ em, services, principal, request }: { em: EntityManager; services: ApiServices; principal: Principal; request: Request }): WebhookEndpointService {
  return new WebhookEndpointService({ em, key: services.encryptionKey, workspaceId: principal.workspaceId, publicOrigin: `${request.protocol}://${request.get('host')}` });
}

/** Endpoints appear when a version with a Webhook node is published; here they are configured, rotated and watched. */
export const webhookRoutes = [
  defineRoute({
    method: 'get',
    path: '/webhooks',
    summary: "This workspace's webhook endpoints (all, or one workflow's), with their settings but not their secrets",
    tag,
    access: 'viewer',
    query: listWebhooksQuery,
    response: z.array(webhookDto),
    handler: async (input) => endpointsOf(input).list(input.query.workflowId),
  }),
  defineRoute({
    method: 'get',
    path: '/webhooks/:webhookId',
    summary: 'A webhook endpoint: URL, settings and auth mode, not the secret',
    tag,
    access: 'viewer',
    params: webhookParams,
    response: webhookDto,
    handler: async (input) => endpointsOf(input).get(input.params.webhookId),
  }),
  defineRoute({
    method: 'patch',
    path: '/webhooks/:webhookId',
    summary: 'Change settings: enabled, auth mode and headers, limits, allowlist, response mode and timeout',
    tag,
    access: 'editor',
    params: webhookParams,
    body: updateWebhookBody,
    response: webhookDto,
    handler: async (input) => endpointsOf(input).update(input.params.webhookId, input.body),
  }),
  defineRoute({
    method: 'post',
    path: '/webhooks/:webhookId/rotate',
    summary: 'Replace the secret and answer the new one (once); the old one keeps working for overlapSeconds',
    tag,
    access: 'editor',
    params: webhookParams,
    body: rotateWebhookSecretBody,
    response: webhookSecretDto,
    handler: async (input) => endpointsOf(input).rotateSecret(input.params.webhookId, input.body.overlapSeconds),
  }),
  defineRoute({
    method: 'get',
    path: '/webhooks/:webhookId/secret',
    summary: "Reveal the current secret (the canvas's token reveal)",
    tag,
    access: 'editor',
    params: webhookParams,
    response: webhookSecretDto,
    handler: async (input) => endpointsOf(input).revealSecret(input.params.webhookId),
  }),
  defineRoute({
    method: 'get',
    path: '/webhooks/:webhookId/deliveries',
    summary: 'Deliveries to the endpoint, newest first: when, what was answered, how fast, which run, why refused',
    tag,
    access: 'viewer',
    params: webhookParams,
    query: listDeliveriesQuery,
    response: deliveryPageDto,
    handler: async (input) => endpointsOf(input).deliveries(input.params.webhookId, input.query),
  }),
];
