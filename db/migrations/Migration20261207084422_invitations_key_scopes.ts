import { Migration } from '@mikro-orm/migrations';

/**
 * Membership by invitation: an owner invites an email, and only the account that accepts becomes a member.
 * API keys get scopes. Keys made before keep what they were made for (reading, running, editing) but lose the
 * management they could do by accident of acting as their creator: no `admin`, so they no longer make keys or
 * workspaces or invite. New keys name their scopes, so the column keeps no default.
 */
export class Migration20261207084422_invitations_key_scopes extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "invitations" ("id" uuid not null, "workspace_id" uuid not null, "email" text not null, "role" text check ("role" in ('editor', 'viewer')) not null, "invited_by_id" uuid not null, "created_at" timestamptz not null, "expires_at" timestamptz not null, constraint "invitations_pkey" primary key ("id"));`);
    this.addSql(`create index "invitations_email_index" on "invitations" ("email");`);
    this.addSql(`alter table "invitations" add constraint "invitations_workspace_id_email_unique" unique ("workspace_id", "email");`);

    this.addSql(`alter table "invitations" add constraint "invitations_workspace_id_foreign" foreign key ("workspace_id") references "workspaces" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "invitations" add constraint "invitations_invited_by_id_foreign" foreign key ("invited_by_id") references "users" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "api_keys" add column "scopes" text[] not null default '{read,run,write}';`);
    this.addSql(`alter table "api_keys" alter column "scopes" drop default;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "invitations" cascade;`);

    this.addSql(`alter table "api_keys" drop column "scopes";`);
  }

}
