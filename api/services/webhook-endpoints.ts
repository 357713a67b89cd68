import type { EntityManager, FilterQuery, Loaded } from '@mikro-orm/postgresql';
import { Webhook, WebhookDelivery } from '../../db/entities';
import { seal, type SecretKey } from '../../db/secret-box';
import type { DeliveryDto, ListDeliveriesQuery, UpdateWebhookBody, WebhookDto, WebhookSecretDto } from '../../contract/webhooks';
import { ApiError } from '../http/api-error';
import { forgetPublishedHooks } from '../webhooks/published-hooks';
import { acceptedSecrets, NO_PREVIOUS_SECRET, newWebhookSecret } from '../webhooks/webhook-secrets';
import { normalizeSettings } from '../webhooks/webhook-settings';
import { decodeCursor, encodeCursor } from './page-cursor';

export interface WebhookEndpointScope {
  em: EntityManager;
  /** Opens and seals the endpoints' secrets. */
  key: SecretKey;
  /** Every endpoint is looked up within this workspace only: another workspace's is "not found". */
  workspaceId: string;
  /** Scheme, host and port the caller reached the API on; endpoint URLs are built on it. */
  publicOrigin: string;
}

type LoadedWebhook = Loaded<Webhook, 'version'>;

/**
 * The webhook endpoints of one workspace: their settings, secrets and deliveries. Endpoints are created by
 * publishing (ensureWebhooksForVersion), never here. Only {@link rotateSecret} and {@link revealSecret} return a
 * secret.
 */
export class WebhookEndpointService {
  constructor(private readonly scope: WebhookEndpointScope) {}

  async list(workflowId?: string): Promise<WebhookDto[]> {
    const where: FilterQuery<Webhook> = { workspace: this.scope.workspaceId, ...(workflowId !== undefined && { workflow: workflowId }) };
    const hooks = await this.scope.em.find(Webhook, where, { populate: ['version'], orderBy: { createdAt: 'asc', id: 'asc' } });
    return hooks.map((hook) => this.toDto(hook));
  }

  async get(webhookId: string): Promise<WebhookDto> {
    return this.toDto(await this.find(webhookId));
  }

  /** Changes apply to the next delivery; a new rate limit also caps what the hook's bucket holds now. */
  async update(webhookId: string, changes: UpdateWebhookBody): Promise<WebhookDto> {
    const hook = await this.find(webhookId);
    Object.assign(hook, normalizeSettings(changes));
    await this.scope.em.flush();
    forgetPublishedHooks();
    return this.toDto(hook);
  }

  /**
   * A new secret from now on; the current one keeps working for `overlapSeconds` (none with 0), so senders can
   * switch without a refused delivery. A rotation during an overlap ends the older secret at once.
   */
  async rotateSecret(webhookId: string, overlapSeconds: number): Promise<WebhookSecretDto> {
    const hook = await this.find(webhookId);
    const secret = newWebhookSecret();
    const overlapEnds = overlapSeconds > 0 ? new Date(Date.now() + overlapSeconds * 1000) : null;
    hook.previousSecretSealed = overlapEnds ? hook.secretSealed : NO_PREVIOUS_SECRET;
    hook.previousSecretExpiresAt = overlapEnds;
    hook.secretSealed = seal(secret, this.scope.key);
    await this.scope.em.flush();
    forgetPublishedHooks();
    return { secret, previousSecretExpiresAt: overlapEnds?.toISOString() ?? null };
  }

  async revealSecret(webhookId: string): Promise<WebhookSecretDto> {
    const hook = await this.find(webhookId);
    const [secret] = acceptedSecrets(hook, this.scope.key, new Date());
    return { secret, previousSecretExpiresAt: this.overlapEnd(hook) };
  }

  /** Newest first, paged by the (receivedAt, id) of the last delivery seen. */
  async deliveries(webhookId: string, query: ListDeliveriesQuery): Promise<{ items: DeliveryDto[]; nextCursor: string | null }> {
    const hook = await this.find(webhookId);
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
    const rows = await this.scope.em.find(
      WebhookDelivery,
      { webhook: hook, ...(after && { $or: [{ receivedAt: { $lt: after.at } }, { receivedAt: after.at, id: { $lt: after.id } }] }) },
      { orderBy: { receivedAt: 'desc', id: 'desc' }, limit: query.limit + 1 },
    );
    const page = rows.slice(0, query.limit);
    const last = page.at(-1);
    return {
      items: page.map(deliveryToDto),
      nextCursor: rows.length > query.limit && last ? encodeCursor({ at: last.receivedAt, id: last.id }) : null,
    };
  }

  private async find(webhookId: string): Promise<LoadedWebhook> {
    const hook = await this.scope.em.findOne(Webhook, { id: webhookId, workspace: this.scope.workspaceId }, { populate: ['version'] });
    if (!hook) throw ApiError.notFound('webhook');
    return hook;
  }

  private overlapEnd(hook: Webhook): string | null {
    return hook.previousSecretSealed && hook.previousSecretExpiresAt && hook.previousSecretExpiresAt > new Date() ? hook.previousSecretExpiresAt.toISOString() : null;
  }

  private toDto(hook: LoadedWebhook): WebhookDto {
    return {
      id: hook.id,
      url: `${this.scope.publicOrigin}/api/webhooks/${hook.id}`,
      workflowId: hook.workflow.id,
      nodeId: hook.nodeId,
      version: hook.version.getEntity().number,
      enabled: hook.enabled,
      authMode: hook.authMode,
      tokenHeader: hook.tokenHeader,
      signatureHeader: hook.signatureHeader,
      timestampHeader: hook.timestampHeader ?? null,
      toleranceSeconds: hook.toleranceSeconds,
      ipAllowlist: hook.ipAllowlist,
      maxBodyBytes: hook.maxBodyBytes,
      rateLimitPerMinute: hook.rateLimitPerMinute,
      allowedMethods: hook.allowedMethods as WebhookDto['allowedMethods'],
      allowedContentTypes: hook.allowedContentTypes,
      responseMode: hook.responseMode,
      syncTimeoutMs: hook.syncTimeoutMs,
      allowRedirects: hook.allowRedirects,
      idempotencyField: hook.idempotencyField ?? null,
      previousSecretExpiresAt: this.overlapEnd(hook),
      createdAt: hook.createdAt.toISOString(),
      updatedAt: hook.updatedAt.toISOString(),
    };
  }
}

function deliveryToDto(delivery: WebhookDelivery): DeliveryDto {
  return {
    id: delivery.id,
    receivedAt: delivery.receivedAt.toISOString(),
    method: delivery.method,
    status: delivery.status,
    latencyMs: delivery.latencyMs,
    runId: delivery.runId ?? null,
    idempotencyKey: delivery.idempotencyKey ?? null,
    error: delivery.error ?? null,
  };
}
