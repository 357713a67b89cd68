import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { createdAt, updatedAt } from './columns';
import { Workflow } from './workflow';
import { WorkflowVersion } from './workflow-version';
import { Workspace } from './workspace';

export const WEBHOOK_AUTH_MODES = ['none', 'token', 'hmac'] as const;
export type WebhookAuthMode = (typeof WEBHOOK_AUTH_MODES)[number];
export const WEBHOOK_RESPONSE_MODES = ['async', 'sync'] as const;
export type WebhookResponseMode = (typeof WEBHOOK_RESPONSE_MODES)[number];

/**
 * The public endpoint of a workflow's Webhook trigger node: `POST /api/webhooks/<id>`. Created when a version with
 * the node is published, kept (same id, same secret) by later publishes, which move it to the newest version.
 */
export const Webhook = defineEntity({
  name: 'Webhook',
  tableName: 'webhooks',
  properties: (p) => ({
    /** `wh_` and 32 random bytes, base64url: the unguessable part of the public URL. */
    id: p.text().primary(),
    workspace: p.manyToOne(Workspace).ref().deleteRule('cascade'),
    workflow: p.manyToOne(Workflow).ref().deleteRule('cascade'),
    /** The Webhook node in the graph this endpoint feeds. */
    nodeId: p.text(),
    version: p.manyToOne(WorkflowVersion).ref().deleteRule('cascade'),
    enabled: p.boolean().default(true),
    authMode: p.enum([...WEBHOOK_AUTH_MODES]),
    /** Token mode: the header carrying the token; `authorization` means `Bearer <token>`. */
    tokenHeader: p.text().default('authorization'),
    /** HMAC mode: the header carrying `sha256=<hex>`, and the optional timestamp header signed with the body. */
    signatureHeader: p.text().default('x-kai-signature'),
    timestampHeader: p.text().nullable(),
    toleranceSeconds: p.integer().default(300),
    /** The token or HMAC key, sealed with the encryption key (both must be recoverable to compare or sign). */
    secretSealed: p.text().hidden(),
    /** After a rotation the old secret keeps working until this time. */
    previousSecretSealed: p.text().nullable().hidden(),
    previousSecretExpiresAt: p.datetime().nullable(),
    ipAllowlist: p.array().default([]),
    maxBodyBytes: p.integer().default(1024 * 1024),
    rateLimitPerMinute: p.integer().default(600),
    allowedMethods: p.array().default(['POST']),
    allowedContentTypes: p.array().default(['application/json']),
    responseMode: p.enum([...WEBHOOK_RESPONSE_MODES]).default('async'),
    syncTimeoutMs: p.integer().default(30_000),
    /** Sync mode: whether the End node may answer with a redirect (off, it could send visitors anywhere from our origin). */
    allowRedirects: p.boolean().default(false),
    /** A body field (dotted path) holding the sender's event id, used like an Idempotency-Key header. */
    idempotencyField: p.text().nullable(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  }),
  uniques: [{ properties: ['workflow', 'nodeId'] }],
});

export type Webhook = InferEntity<typeof Webhook>;
