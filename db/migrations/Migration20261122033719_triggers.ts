import { Migration } from '@mikro-orm/migrations';

export class Migration20261122033719_triggers extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "webhooks" ("id" text not null, "workspace_id" uuid not null, "workflow_id" uuid not null, "node_id" text not null, "version_id" uuid not null, "enabled" boolean not null default true, "auth_mode" text check ("auth_mode" in ('none', 'token', 'hmac')) not null, "token_header" text not null default 'authorization', "signature_header" text not null default 'x-kai-signature', "timestamp_header" text null, "tolerance_seconds" int not null default 300, "secret_sealed" text not null, "previous_secret_sealed" text null, "previous_secret_expires_at" timestamptz null, "ip_allowlist" text[] not null default '{}', "max_body_bytes" int not null default 1048576, "rate_limit_per_minute" int not null default 600, "allowed_methods" text[] not null default '{POST}', "allowed_content_types" text[] not null default '{application/json}', "response_mode" text check ("response_mode" in ('async', 'sync')) not null default 'async', "sync_timeout_ms" int not null default 30000, "idempotency_field" text null, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "webhooks_pkey" primary key ("id"));`);
    this.addSql(`alter table "webhooks" add constraint "webhooks_workflow_id_node_id_unique" unique ("workflow_id", "node_id");`);

    this.addSql(`create table "webhook_deliveries" ("id" uuid not null, "webhook_id" text not null, "received_at" timestamptz not null, "method" text not null, "status" int not null, "latency_ms" int not null, "run_id" text null, "idempotency_key" text null, "error" text null, constraint "webhook_deliveries_pkey" primary key ("id"));`);
    this.addSql(`create index "webhook_deliveries_webhook_id_received_at_index" on "webhook_deliveries" ("webhook_id", "received_at");`);
    this.addSql(`create index "webhook_deliveries_received_at_index" on "webhook_deliveries" ("received_at");`);

    this.addSql(`create table "schedule_links" ("id" text not null, "workspace_id" uuid not null, "workflow_id" uuid not null, "version_id" uuid not null, "name" text not null, "created_by_id" uuid null, "created_at" timestamptz not null, constraint "schedule_links_pkey" primary key ("id"));`);
    this.addSql(`create index "schedule_links_workflow_id_index" on "schedule_links" ("workflow_id");`);

    this.addSql(`alter table "webhooks" add constraint "webhooks_workspace_id_foreign" foreign key ("workspace_id") references "workspaces" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "webhooks" add constraint "webhooks_workflow_id_foreign" foreign key ("workflow_id") references "workflows" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "webhooks" add constraint "webhooks_version_id_foreign" foreign key ("version_id") references "workflow_versions" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "webhook_deliveries" add constraint "webhook_deliveries_webhook_id_foreign" foreign key ("webhook_id") references "webhooks" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "schedule_links" add constraint "schedule_links_workspace_id_foreign" foreign key ("workspace_id") references "workspaces" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "schedule_links" add constraint "schedule_links_workflow_id_foreign" foreign key ("workflow_id") references "workflows" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "schedule_links" add constraint "schedule_links_version_id_foreign" foreign key ("version_id") references "workflow_versions" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "schedule_links" add constraint "schedule_links_created_by_id_foreign" foreign key ("created_by_id") references "users" ("id") on update cascade on delete set null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "webhook_deliveries" drop constraint "webhook_deliveries_webhook_id_foreign";`);

    this.addSql(`drop table if exists "webhooks" cascade;`);

    this.addSql(`drop table if exists "webhook_deliveries" cascade;`);

    this.addSql(`drop table if exists "schedule_links" cascade;`);
  }

}
