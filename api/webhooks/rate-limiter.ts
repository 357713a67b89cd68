import type { Database } from '../../db/orm';

/** How the bucket is refilled since it was last taken from: `perMinute / 60` tokens a second, up to `perMinute`. */
const REFILLED = `least(excluded.per_minute, bucket.tokens + greatest(0, extract(epoch from excluded.updated_at - bucket.updated_at)) * excluded.per_minute / 60.0)`;

/**
 * One statement takes a token or finds none: the upsert locks the webhook's row, so concurrent deliveries through
 * any number of API processes take from it one after the other. A new bucket starts full (less this delivery's token).
 * Every SET expression reads the row as it was before this statement.
 */
const takeToken = ({ table, key }: BucketTable) => `
insert into ${table} as bucket (${key}, per_minute, tokens, taken, updated_at)
values (?, ?, ? - 1, true, coalesce(?::timestamptz, clock_timestamp()))
on conflict (${key}) do update set
  per_minute = excluded.per_minute,
  taken = ${REFILLED} >= 1,
  tokens = ${REFILLED} - case when ${REFILLED} >= 1 then 1 else 0 end,
  updated_at = greatest(bucket.updated_at, excluded.updated_at)
returning taken, tokens`;

/** Where the buckets live: webhooks' (the default) or public chat endpoints' (`chat_rate_buckets`, `endpoint_id`). */
export interface BucketTable {
  table: 'webhook_rate_buckets' | 'chat_rate_buckets';
  key: 'webhook_id' | 'endpoint_id';
}

const WEBHOOK_BUCKETS: BucketTable = { table: 'webhook_rate_buckets', key: 'webhook_id' };

/**
 * A token bucket per webhook (or public chat endpoint), held in the database (webhook_rate_buckets, chat_rate_buckets):
 * it holds up to a minute's allowance and refills at `perMinute / 60` tokens a second, so a sender may burst up to its
 * per-minute limit and then goes at the steady rate. Every API process takes from the same bucket, so a limit means
 * the same with two APIs as with one and a restart does not refill it. Time is the database's clock, the one every
 * process shares; `now` replaces it in tests. The cost is one row lock and write per delivery, beside the delivery's own Run row.
 */
export class DeliveryRateLimiter {
  constructor(
    private readonly orm: Database,
    private readonly now?: () => Date,
    private readonly buckets: BucketTable = WEBHOOK_BUCKETS,
  ) {}

  /** Takes a token from the bucket `bucketId`: 0 when the delivery may go ahead, else the whole seconds until a token is free. */
  async take(bucketId: string, perMinute: number): Promise<number> {
    const at = this.now?.().toISOString() ?? null;
    const [row] = await this.orm.em.getConnection().execute<{ taken: boolean; tokens: number }[]>(takeToken(this.buckets), [bucketId, perMinute, perMinute, at]);
    if (row.taken) return 0;
    // Less a hair for floating-point error, so a wait of exactly 1 s is not rounded up to 2.
    return Math.max(1, Math.ceil(((1 - row.tokens) * 60) / perMinute - 1e-9));
  }
}
