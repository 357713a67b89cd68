import { Migration } from '@mikro-orm/migrations';

export class Migration20261122031539_initial extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "node_outputs" ("id" text not null, "workflow_id" text not null, "run_id" text not null, "node_id" text not null, "attempt" int not null, "data" jsonb not null, "bytes" int not null, "created_at" timestamptz not null, constraint "node_outputs_pkey" primary key ("id"));`);
    this.addSql(`create index "node_outputs_workflow_id_index" on "node_outputs" ("workflow_id");`);

    this.addSql(`create table "sign_in_attempts" ("id" uuid not null, "email" text not null, "ip" text not null, "succeeded" boolean not null, "reason" text null, "created_at" timestamptz not null, constraint "sign_in_attempts_pkey" primary key ("id"));`);
    this.addSql(`create index "sign_in_attempts_email_created_at_index" on "sign_in_attempts" ("email", "created_at");`);
    this.addSql(`create index "sign_in_attempts_ip_created_at_index" on "sign_in_attempts" ("ip", "created_at");`);

    this.addSql(`create table "users" ("id" uuid not null, "email" text not null, "password_hash" text not null, "name" text null, "created_at" timestamptz not null, constraint "users_pkey" primary key ("id"), constraint users_email_lower_case_check check (email = lower(email)));`);
    this.addSql(`alter table "users" add constraint "users_email_unique" unique ("email");`);

    this.addSql(`create table "refresh_tokens" ("id" uuid not null, "user_id" uuid not null, "family_id" uuid not null, "token_hash" text not null, "expires_at" timestamptz not null, "used_at" timestamptz null, "revoked_at" timestamptz null, "created_at" timestamptz not null, constraint "refresh_tokens_pkey" primary key ("id"));`);
    this.addSql(`create index "refresh_tokens_user_id_index" on "refresh_tokens" ("user_id");`);
    this.addSql(`create index "refresh_tokens_family_id_index" on "refresh_tokens" ("family_id");`);
    this.addSql(`alter table "refresh_tokens" add constraint "refresh_tokens_token_hash_unique" unique ("token_hash");`);

    this.addSql(`create table "workspaces" ("id" uuid not null, "name" text not null, "created_at" timestamptz not null, constraint "workspaces_pkey" primary key ("id"));`);

    this.addSql(`create table "workflows" ("id" uuid not null, "workspace_id" uuid not null, "name" text not null, "description" text not null default '', "tags" text[] not null default '{}', "draft_graph" jsonb not null, "created_by_id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "workflows_pkey" primary key ("id"));`);
    this.addSql(`create index "workflows_workspace_id_index" on "workflows" ("workspace_id");`);

    this.addSql(`create table "workflow_versions" ("id" uuid not null, "workflow_id" uuid not null, "number" int not null, "graph" jsonb not null, "created_by_id" uuid not null, "created_at" timestamptz not null, constraint "workflow_versions_pkey" primary key ("id"));`);
    this.addSql(`alter table "workflow_versions" add constraint "workflow_versions_workflow_id_number_unique" unique ("workflow_id", "number");`);

    this.addSql(`create table "runs" ("id" text not null, "workspace_id" uuid not null, "workflow_id" uuid not null, "version_id" uuid not null, "version_number" int not null, "trigger" text check ("trigger" in ('api', 'cli', 'webhook', 'schedule', 'rerun')) not null, "started_by_id" uuid null, "temporal_run_id" text not null, "status" text check ("status" in ('running', 'succeeded', 'failed', 'cancelled', 'terminated', 'timed_out')) not null, "inputs" jsonb not null, "result" jsonb null, "error" text null, "started_at" timestamptz not null, "ended_at" timestamptz null, "rerun_of" text null, "rerun_from_node" text null, constraint "runs_pkey" primary key ("id"));`);
    this.addSql(`create index "runs_version_id_index" on "runs" ("version_id");`);
    this.addSql(`create index "runs_workspace_started_at_id_index" on "runs" ("workspace_id", "started_at" desc, "id" desc);`);
    this.addSql(`create index "runs_workflow_id_started_at_index" on "runs" ("workflow_id", "started_at");`);

    this.addSql(`create table "memberships" ("id" uuid not null, "workspace_id" uuid not null, "user_id" uuid not null, "role" text check ("role" in ('owner', 'editor', 'viewer')) not null, "created_at" timestamptz not null, constraint "memberships_pkey" primary key ("id"));`);
    this.addSql(`create index "memberships_user_id_index" on "memberships" ("user_id");`);
    this.addSql(`alter table "memberships" add constraint "memberships_workspace_id_user_id_unique" unique ("workspace_id", "user_id");`);

    this.addSql(`create table "credentials" ("id" uuid not null, "workspace_id" uuid not null, "name" text not null, "kind" text not null, "public_data" jsonb not null, "secret_ciphertext" text not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "credentials_pkey" primary key ("id"));`);
    this.addSql(`alter table "credentials" add constraint "credentials_workspace_id_name_unique" unique ("workspace_id", "name");`);

    this.addSql(`create table "api_keys" ("id" uuid not null, "workspace_id" uuid not null, "user_id" uuid not null, "name" text not null, "prefix" text not null, "key_hash" text not null, "created_at" timestamptz not null, "last_used_at" timestamptz null, "revoked_at" timestamptz null, constraint "api_keys_pkey" primary key ("id"));`);
    this.addSql(`create index "api_keys_workspace_id_index" on "api_keys" ("workspace_id");`);
    this.addSql(`alter table "api_keys" add constraint "api_keys_key_hash_unique" unique ("key_hash");`);

    this.addSql(`alter table "refresh_tokens" add constraint "refresh_tokens_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "workflows" add constraint "workflows_workspace_id_foreign" foreign key ("workspace_id") references "workspaces" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "workflows" add constraint "workflows_created_by_id_foreign" foreign key ("created_by_id") references "users" ("id") on update cascade;`);

    this.addSql(`alter table "workflow_versions" add constraint "workflow_versions_workflow_id_foreign" foreign key ("workflow_id") references "workflows" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "workflow_versions" add constraint "workflow_versions_created_by_id_foreign" foreign key ("created_by_id") references "users" ("id") on update cascade;`);

    this.addSql(`alter table "runs" add constraint "runs_workspace_id_foreign" foreign key ("workspace_id") references "workspaces" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "runs" add constraint "runs_workflow_id_foreign" foreign key ("workflow_id") references "workflows" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "runs" add constraint "runs_version_id_foreign" foreign key ("version_id") references "workflow_versions" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "runs" add constraint "runs_started_by_id_foreign" foreign key ("started_by_id") references "users" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "memberships" add constraint "memberships_workspace_id_foreign" foreign key ("workspace_id") references "workspaces" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "memberships" add constraint "memberships_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "credentials" add constraint "credentials_workspace_id_foreign" foreign key ("workspace_id") references "workspaces" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "api_keys" add constraint "api_keys_workspace_id_foreign" foreign key ("workspace_id") references "workspaces" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "api_keys" add constraint "api_keys_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "refresh_tokens" drop constraint "refresh_tokens_user_id_foreign";`);

    this.addSql(`alter table "workflows" drop constraint "workflows_created_by_id_foreign";`);

    this.addSql(`alter table "workflow_versions" drop constraint "workflow_versions_created_by_id_foreign";`);

    this.addSql(`alter table "runs" drop constraint "runs_started_by_id_foreign";`);

    this.addSql(`alter table "memberships" drop constraint "memberships_user_id_foreign";`);

    this.addSql(`alter table "api_keys" drop constraint "api_keys_user_id_foreign";`);

    this.addSql(`alter table "workflows" drop constraint "workflows_workspace_id_foreign";`);

    this.addSql(`alter table "runs" drop constraint "runs_workspace_id_foreign";`);

    this.addSql(`alter table "memberships" drop constraint "memberships_workspace_id_foreign";`);

    this.addSql(`alter table "credentials" drop constraint "credentials_workspace_id_foreign";`);

    this.addSql(`alter table "api_keys" drop constraint "api_keys_workspace_id_foreign";`);

    this.addSql(`alter table "workflow_versions" drop constraint "workflow_versions_workflow_id_foreign";`);

    this.addSql(`alter table "runs" drop constraint "runs_workflow_id_foreign";`);

    this.addSql(`alter table "runs" drop constraint "runs_version_id_foreign";`);

    this.addSql(`drop table if exists "node_outputs" cascade;`);

    this.addSql(`drop table if exists "sign_in_attempts" cascade;`);

    this.addSql(`drop table if exists "users" cascade;`);

    this.addSql(`drop table if exists "refresh_tokens" cascade;`);

    this.addSql(`drop table if exists "workspaces" cascade;`);

    this.addSql(`drop table if exists "workflows" cascade;`);

    this.addSql(`drop table if exists "workflow_versions" cascade;`);

    this.addSql(`drop table if exists "runs" cascade;`);

    this.addSql(`drop table if exists "memberships" cascade;`);

    this.addSql(`drop table if exists "credentials" cascade;`);

    this.addSql(`drop table if exists "api_keys" cascade;`);
  }

}
