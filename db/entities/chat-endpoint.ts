import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { createdAt, updatedAt } from './columns';
import { Workflow } from './workflow';
import { WorkflowVersion } from './workflow-version';
import { Workspace } from './workspace';

export const CHAT_ENDPOINT_AUTH_MODES = ['token', 'none'] as const;
export type ChatEndpointAuthMode = (typeof CHAT_ENDPOINT_AUTH_MODES)[number];

/**
 * The public chat address of a published workflow's Chat trigger node: `/api/chat/<id>` and the page
 * `/chat/<id>`. Created when a version with the node is published and kept (same id, same token) by later publishes,
 * which move it to the newest version and apply the node's settings.
 */
export const ChatEndpoint = defineEntity({
  name: 'ChatEndpoint',
  tableName: 'chat_endpoints',
  properties: (p) => ({
    /** `chat_` and 32 random bytes, base64url: the unguessable part of the public address. */
    id: p.text().primary(),
    workspace: p.manyToOne(Workspace).ref().deleteRule('cascade'),
    workflow: p.manyToOne(Workflow).ref().deleteRule('cascade'),
    /** The Chat trigger node in the graph this endpoint feeds. */
    nodeId: p.text(),
    version: p.manyToOne(WorkflowVersion).ref().deleteRule('cascade'),
    enabled: p.boolean().default(true),
    authMode: p.enum([...CHAT_ENDPOINT_AUTH_MODES]),
    /** SHA-256 of the bearer token (hex): the token is shown once when issued, never stored. Null until one is issued. */
    tokenHash: p.text().nullable().hidden(),
    rateLimitPerMinute: p.integer(),
    /** Origins (`https://example.com`) that may call the endpoint from a browser and frame the chat page. */
    allowedOrigins: p.array().default([]),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  }),
  uniques: [{ properties: ['workflow', 'nodeId'] }],
});

export type ChatEndpoint = InferEntity<typeof ChatEndpoint>;
