import { z } from 'zod';
import { webhookTriggerNode } from '../activities/nodes/webhook-trigger';

/**
 * Request and response shapes of /api/v1/webhooks (the management of webhook endpoints) and of the public
 * endpoint's answers; shared by the server and the canvas. No shape but the two secret answers holds a secret.
 */

/** `wh_` and 32 random bytes in base64url (43 characters). */
export const webhookIdSchema = z.string().regex(/^wh_[A-Za-z0-9_-]{43}$/, 'must be a webhook id (wh_…)');
export const webhookParams = z.object({ webhookId: webhookIdSchema }).strict();

/** Bounds shared with the Webhook node's settings, so the canvas and this API accept the same values. */
const nodeSettings = webhookTriggerNode.config.shape;

/** Sync mode holds the sender's request open while the run works; five minutes is the most any sender waits. */
export const MAX_SYNC_TIMEOUT_MS = 5 * 60_000;

/** Header names are matched case-insensitively; the service stores them lower-cased. */
export const webhookSettingsFields = {
  enabled: z.boolean(),
  authMode: nodeSettings.authMode.unwrap(),
  tokenHeader: nodeSettings.tokenHeader.unwrap(),
  signatureHeader: nodeSettings.signatureHeader.unwrap(),
  timestampHeader: nodeSettings.timestampHeader.unwrap().nullable().describe('null: the signature covers the body alone, with no replay check'),
  toleranceSeconds: nodeSettings.toleranceSeconds.unwrap(),
  ipAllowlist: nodeSettings.ipAllowlist.unwrap(),
  maxBodyBytes: nodeSettings.maxBodyBytes.unwrap(),
  rateLimitPerMinute: nodeSettings.rateLimitPerMinute.unwrap(),
  allowedMethods: nodeSettings.allowedMethods.unwrap(),
  allowedContentTypes: nodeSettings.allowedContentTypes.unwrap().describe('media types such as application/json; text/* and */* match families'),
  responseMode: nodeSettings.responseMode.unwrap(),
  syncTimeoutMs: z.number().int().min(100).max(MAX_SYNC_TIMEOUT_MS).describe('sync mode answers 202 with the run id after this'),
  allowRedirects: nodeSettings.allowRedirects.unwrap(),
  idempotencyField: nodeSettings.idempotencyField.unwrap().min(1).nullable().describe("dotted body path of the sender's event id; null: the Idempotency-Key header only"),
};

export const updateWebhookBody = z
  .object(webhookSettingsFields)
  .partial()
  .strict()
  .refine((body) => Object.keys(body).length > 0, { message: 'send at least one setting' });
export type UpdateWebhookBody = z.infer<typeof updateWebhookBody>;

export const listWebhooksQuery = z.object({ workflowId: z.uuid().optional() }).strict();

export const webhookDto = z.object({
  id: webhookIdSchema,
  url: z.string().describe('where senders deliver: POST (or an allowed method) with the credentials of authMode'),
  workflowId: z.uuid(),
  nodeId: z.string(),
  version: z.number().int().describe('the published version that deliveries run'),
  ...webhookSettingsFields,
  previousSecretExpiresAt: z.iso.datetime().nullable().describe('the secret before the last rotation works until then'),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type WebhookDto = z.infer<typeof webhookDto>;

export const rotateWebhookSecretBody = z
  .object({
    overlapSeconds: z
      .number()
      .int()
      .min(0)
      .max(30 * 86_400)
      .default(86_400)
      .describe('how long the old secret keeps working, so senders can switch without losing deliveries'),
  })
  .strict()
  .default({ overlapSeconds: 86_400 });

export const webhookSecretDto = z.object({
  secret: z.string().describe('the token (token mode) or the HMAC-SHA256 key (hmac mode)'),
  previousSecretExpiresAt: z.iso.datetime().nullable(),
});
export type WebhookSecretDto = z.infer<typeof webhookSecretDto>;

export const listDeliveriesQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: z.string().min(1).max(500).optional().describe('nextCursor of the previous page'),
  })
  .strict();
export type ListDeliveriesQuery = z.infer<typeof listDeliveriesQuery>;

export const deliveryDto = z.object({
  id: z.uuid(),
  receivedAt: z.iso.datetime(),
  method: z.string(),
  status: z.number().int().describe('the HTTP status the sender was answered'),
  latencyMs: z.number().int(),
  runId: z.string().nullable().describe('the run the delivery started or, when deduplicated, found'),
  idempotencyKey: z.string().nullable(),
  error: z.string().nullable().describe("why the delivery was refused or failed, or what of the End node's answer was dropped (headers off the allowlist, a redirect not allowed)"),
});
export type DeliveryDto = z.infer<typeof deliveryDto>;

export const deliveryPageDto = z.object({ items: z.array(deliveryDto), nextCursor: z.string().nullable() });

/** What the public endpoint answers in async mode (and in sync mode when the run outlasts syncTimeoutMs). */
export const acceptedDeliveryDto = z.object({ runId: z.string() });
export type AcceptedDeliveryDto = z.infer<typeof acceptedDeliveryDto>;
