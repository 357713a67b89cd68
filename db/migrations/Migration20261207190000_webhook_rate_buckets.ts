import { Migration } from '@mikro-orm/migrations';

/**
 * Webhook rate limits held in the database (api/webhooks/rate-limiter.ts): one token bucket per webhook that every
 * API process takes from, so a limit means the same with any number of API processes, and survives their restarts.
 */
export class Migration20261207190000_webhook_rate_buckets extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "webhook_rate_buckets" ("webhook_id" text not null, "per_minute" int not null, "tokens" double precision not null, "taken" boolean not null, "updated_at" timestamptz not null, constraint "webhook_rate_buckets_pkey" primary key ("webhook_id"));`);
    this.addSql(`alter table "webhook_rate_buckets" add constraint "webhook_rate_buckets_webhook_id_foreign" foreign key ("webhook_id") references "webhooks" ("id") on update cascade on delete cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "webhook_rate_buckets" cascade;`);
  }

}
