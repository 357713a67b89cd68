import type { EntityManager } from '@mikro-orm/postgresql';
import { WebhookDelivery } from '../../db/entities';
import type { ApiServices } from '../services';
import { repeatEvery } from '../services/repeat-every';

export interface DeliveryRetentionPolicy {
  /** Deliveries received longer ago than this are deleted. */
  maxAgeDays: number;
  /** Beyond this many per webhook, the oldest are deleted. */
  maxPerWebhook: number;
}

export interface DeliveryRetentionOptions extends DeliveryRetentionPolicy {
  /** Time between two prunes; the first runs at once. */
  intervalMs: number;
}

export const DEFAULT_DELIVERY_RETENTION: DeliveryRetentionOptions = { maxAgeDays: 30, maxPerWebhook: 10_000, intervalMs: 60 * 60_000 };

/** Deletes what the policy no longer keeps; resolves with how many deliveries went. */
export async function pruneDeliveries(em: EntityManager, policy: DeliveryRetentionPolicy, now = new Date()): Promise<number> {
  const cutoff = new Date(now.getTime() - policy.maxAgeDays * 86_400_000);
  const expired = await em.nativeDelete(WebhookDelivery, { receivedAt: { $lt: cutoff } });
  // Only webhooks over the cap are ranked, so a prune of a quiet installation reads little.
  const surplus = await em.getConnection().execute<{ count: number }[]>(
    `with ranked as (
       select id, row_number() over (partition by webhook_id order by received_at desc, id desc) as position
       from webhook_deliveries
       where webhook_id in (select webhook_id from webhook_deliveries group by webhook_id having count(*) > ?)
     ), deleted as (
       delete from webhook_deliveries where id in (select id from ranked where position > ?) returning 1
     )
     select count(*)::int as count from deleted`,
    [policy.maxPerWebhook, policy.maxPerWebhook],
  );
  return expired + surplus[0].count;
}

/** Prunes every `intervalMs` (the first at once) until the returned function is called (see {@link repeatEvery}). */
export function startDeliveryRetention(services: Pick<ApiServices, 'orm' | 'logger'>, options: Partial<DeliveryRetentionOptions> = {}): () => Promise<void> {
  const settings = { ...DEFAULT_DELIVERY_RETENTION, ...options };
  return repeatEvery(
    settings.intervalMs,
    async () => {
      const deleted = await pruneDeliveries(services.orm.em.fork(), settings);
      if (deleted > 0) services.logger.info({ deleted }, 'pruned old webhook deliveries');
    },
    (error) => services.logger.error({ err: error }, 'pruning webhook deliveries failed'),
  );
}
