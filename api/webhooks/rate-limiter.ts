interface Bucket {
  tokens: number;
  perMinute: number;
  updatedAt: number;
}

/** Past this many buckets, the full ones (which say nothing a new bucket would not) are dropped. */
const SWEEP_ABOVE = 10_000;

/**
 * A token bucket per webhook: it holds up to a minute's allowance and refills at `perMinute / 60` tokens a second,
 * so a sender may burst up to its per-minute limit and then goes at the steady rate.
 *
 * The buckets live in this process: with several API processes each allows the full rate, and a restart refills
 * them. That is enough to protect the API and Temporal from one runaway sender; a shared limit would need a store
 * every process consults on every delivery.
 */
export class DeliveryRateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(private readonly now: () => number = () => performance.now()) {}

  /** Takes a token for `key`: 0 when the delivery may go ahead, else the whole seconds until a token is free. */
  take(key: string, perMinute: number): number {
    const now = this.now();
    const bucket = this.refilled(this.buckets.get(key) ?? { tokens: perMinute, perMinute, updatedAt: now }, perMinute, now);
    if (!this.buckets.has(key)) {
      if (this.buckets.size >= SWEEP_ABOVE) this.sweep(now);
      this.buckets.set(key, bucket);
    }
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    // Less a hair for floating-point error, so a wait of exactly 1 s is not rounded up to 2.
    return Math.max(1, Math.ceil(((1 - bucket.tokens) * 60) / perMinute - 1e-9));
  }

  /** A limit changed since the last delivery applies at once: the bucket never holds more than the new limit. */
  private refilled(bucket: Bucket, perMinute: number, now: number): Bucket {
    bucket.tokens = Math.min(perMinute, bucket.tokens + ((now - bucket.updatedAt) / 60_000) * perMinute);
    bucket.perMinute = perMinute;
    bucket.updatedAt = now;
    return bucket;
  }

  private sweep(now: number): void {
    for (const [key, bucket] of this.buckets) {
      if (this.refilled(bucket, bucket.perMinute, now).tokens >= bucket.perMinute) this.buckets.delete(key);
    }
  }
}
