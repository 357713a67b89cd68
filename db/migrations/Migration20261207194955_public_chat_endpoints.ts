import { Migration } from '@mikro-orm/migrations';

/** Public chat endpoints of published Chat trigger nodes, their rate-limit buckets, and the endpoint a session belongs to. */
export class Migration20261207194955_public_chat_endpoints extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "chat_endpoints" ("id" text not null, "workspace_id" uuid not null, "workflow_id" uuid not null, "node_id" text not null, "version_id" uuid not null, "enabled" boolean not null default true, "auth_mode" text check ("auth_mode" in ('token', 'none')) not null, "token_hash" text null, "rate_limit_per_minute" int not null, "allowed_origins" text[] not null default '{}', "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "chat_endpoints_pkey" primary key ("id"));`);
    this.addSql(`alter table "chat_endpoints" add constraint "chat_endpoints_workflow_id_node_id_unique" unique ("workflow_id", "node_id");`);

    this.addSql(`create table "chat_rate_buckets" ("endpoint_id" text not null, "per_minute" int not null, "tokens" double precision not null, "taken" boolean not null, "updated_at" timestamptz not null, constraint "chat_rate_buckets_pkey" primary key ("endpoint_id"));`);

    this.addSql(`alter table "chat_endpoints" add constraint "chat_endpoints_workspace_id_foreign" foreign key ("workspace_id") references "workspaces" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "chat_endpoints" add constraint "chat_endpoints_workflow_id_foreign" foreign key ("workflow_id") references "workflows" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "chat_endpoints" add constraint "chat_endpoints_version_id_foreign" foreign key ("version_id") references "workflow_versions" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "chat_rate_buckets" add constraint "chat_rate_buckets_endpoint_id_foreign" foreign key ("endpoint_id") references "chat_endpoints" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "chat_sessions" add column "endpoint_id" text null;`);
    this.addSql(`alter table "chat_sessions" add constraint "chat_sessions_endpoint_id_foreign" foreign key ("endpoint_id") references "chat_endpoints" ("id") on update cascade on delete cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "chat_sessions" drop constraint "chat_sessions_endpoint_id_foreign";`);

    this.addSql(`alter table "chat_rate_buckets" drop constraint "chat_rate_buckets_endpoint_id_foreign";`);

    this.addSql(`drop table if exists "chat_endpoints" cascade;`);

    this.addSql(`drop table if exists "chat_rate_buckets" cascade;`);

    this.addSql(`alter table "chat_sessions" drop column "endpoint_id";`);
  }

}
