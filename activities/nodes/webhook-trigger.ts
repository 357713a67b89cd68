import { z } from 'zod';
import { durationSchema } from '../../engine/graph';
import { defineControlNode } from '../node-definition';

/** Settings of the endpoint that publishing creates; secrets are never here (they live, sealed, with the endpoint). */
const configSchema = z
  .object({
    authMode: z.enum(['token', 'hmac', 'none']).default('token').describe('a secret token, an HMAC-SHA256 signature of the raw body, or nothing'),
    tokenHeader: z.string().regex(/^[A-Za-z0-9-]{1,100}$/).default('authorization').describe('"authorization" means Bearer <token>'),
    signatureHeader: z.string().regex(/^[A-Za-z0-9-]{1,100}$/).default('x-kai-signature').describe('carries sha256=<hex>'),
    timestampHeader: z.string().regex(/^[A-Za-z0-9-]{1,100}$/).optional().describe('signed as "<timestamp>.<body>" and checked against replay'),
    toleranceSeconds: z.number().int().min(1).max(86_400).default(300),
    responseMode: z.enum(['async', 'sync']).default('async').describe("async: 202 with the run id; sync: the End node's output"),
    syncTimeout: durationSchema.default('30s').describe('sync mode falls back to 202 after this'),
    maxBodyBytes: z.number().int().min(1).max(10 * 1024 * 1024).default(1024 * 1024),
    rateLimitPerMinute: z.number().int().min(1).max(100_000).default(600),
    allowedMethods: z.array(z.enum(['POST', 'PUT', 'PATCH', 'GET', 'DELETE'])).min(1).default(['POST']),
    allowedContentTypes: z.array(z.string().min(1).max(100)).min(1).default(['application/json']),
    ipAllowlist: z.array(z.cidrv4().or(z.cidrv6())).max(100).default([]).describe('CIDR ranges; empty allows all'),
    allowRedirects: z.boolean().default(false).describe("sync mode: the End node may answer a 3xx with a Location to an http(s) URL (off: such answers become 200)"),
    idempotencyField: z.string().max(200).optional().describe("dotted body path of the sender's event id, e.g. id or data.event_id"),
  })
  .strict();
export type WebhookTriggerConfig = z.output<typeof configSchema>;

export const webhookTriggerNode = defineControlNode({
  kind: 'start',
  type: 'webhook',
  version: 1,
  category: 'trigger',
  label: 'Webhook',
  keywords: ['hook', 'callback', 'trigger'],
  description:
    'Entry of runs started by HTTP requests to POST /api/webhooks/<id> (the id appears when the workflow is published). ' +
    'Its output is the delivery: body, headers, query and method.',
  config: configSchema,
  output: z.object({
    body: z.unknown(),
    headers: z.record(z.string(), z.string()),
    query: z.record(z.string(), z.unknown()),
    method: z.string(),
  }),
  inputs: [],
  outputs: [{ id: 'out', label: 'Delivery' }],
});
