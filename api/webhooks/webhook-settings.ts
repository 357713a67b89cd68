import type { WebhookTriggerConfig } from '../../activities/nodes/webhook-trigger';
import { durationToMs } from '../../engine/duration';
import type { Webhook } from '../../db/entities';
import { MAX_SYNC_TIMEOUT_MS } from '../../contract/webhooks';

/** What an endpoint is configured with, apart from its secret and whether it is enabled. */
export type WebhookSettings = Pick<
  Webhook,
  | 'authMode'
  | 'tokenHeader'
  | 'signatureHeader'
  | 'timestampHeader'
  | 'toleranceSeconds'
  | 'ipAllowlist'
  | 'maxBodyBytes'
  | 'rateLimitPerMinute'
  | 'allowedMethods'
  | 'allowedContentTypes'
  | 'responseMode'
  | 'syncTimeoutMs'
  | 'allowRedirects'
  | 'idempotencyField'
>;

/** The endpoint settings a Webhook node's config asks for (the node holds defaults only, never the secret). */
export function settingsFromNodeConfig(config: WebhookTriggerConfig): WebhookSettings {
  return normalizeSettings({
    authMode: config.authMode,
    tokenHeader: config.tokenHeader,
    signatureHeader: config.signatureHeader,
    timestampHeader: config.timestampHeader ?? null,
    toleranceSeconds: config.toleranceSeconds,
    ipAllowlist: config.ipAllowlist,
    maxBodyBytes: config.maxBodyBytes,
    rateLimitPerMinute: config.rateLimitPerMinute,
    allowedMethods: config.allowedMethods,
    allowedContentTypes: config.allowedContentTypes,
    responseMode: config.responseMode,
    // The node accepts any duration; a sender is never held longer than the API allows.
    syncTimeoutMs: Math.min(durationToMs(config.syncTimeout), MAX_SYNC_TIMEOUT_MS),
    allowRedirects: config.allowRedirects,
    idempotencyField: config.idempotencyField ?? null,
  });
}

/**
 * Header names and media types compare case-insensitively, so they are stored lower-cased (Node hands request
 * headers over lower-cased); repeated methods and media types are dropped.
 */
export function normalizeSettings<S extends Partial<WebhookSettings>>(settings: S): S {
  const normalized: Partial<WebhookSettings> = { ...settings };
  if (settings.tokenHeader !== undefined) normalized.tokenHeader = settings.tokenHeader.toLowerCase();
  if (settings.signatureHeader !== undefined) normalized.signatureHeader = settings.signatureHeader.toLowerCase();
  if (settings.timestampHeader) normalized.timestampHeader = settings.timestampHeader.toLowerCase();
  if (settings.allowedMethods) normalized.allowedMethods = [...new Set(settings.allowedMethods.map((method) => method.toUpperCase()))];
  if (settings.allowedContentTypes) normalized.allowedContentTypes = [...new Set(settings.allowedContentTypes.map((type) => type.trim().toLowerCase()))];
  return normalized as S;
}
