import { Migration } from '@mikro-orm/migrations';

/** Chat sessions of workflows with a Chat trigger, and their messages with the runs they started and the replies. */
export class Migration20261207183909_chat_sessions extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "chat_sessions" ("id" uuid not null, "workspace_id" uuid not null, "workflow_id" uuid not null, "title" text not null, "created_at" timestamptz not null, constraint "chat_sessions_pkey" primary key ("id"));`);
    this.addSql(`create index "chat_sessions_workflow_id_created_at_index" on "chat_sessions" ("workflow_id", "created_at");`);

    this.addSql(`create table "chat_messages" ("id" uuid not null, "session_id" uuid not null, "run_id" text not null, "message" text not null, "attachment_names" text[] not null default '{}', "status" text check ("status" in ('running', 'answered', 'failed')) not null, "reply" text null, "citations" jsonb null, "error" text null, "created_at" timestamptz not null, "answered_at" timestamptz null, constraint "chat_messages_pkey" primary key ("id"));`);
    this.addSql(`create index "chat_messages_session_id_created_at_index" on "chat_messages" ("session_id", "created_at");`);

    this.addSql(`alter table "chat_sessions" add constraint "chat_sessions_workspace_id_foreign" foreign key ("workspace_id") references "workspaces" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "chat_sessions" add constraint "chat_sessions_workflow_id_foreign" foreign key ("workflow_id") references "workflows" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "chat_messages" add constraint "chat_messages_session_id_foreign" foreign key ("session_id") references "chat_sessions" ("id") on update cascade on delete cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "chat_messages" drop constraint "chat_messages_session_id_foreign";`);

    this.addSql(`drop table if exists "chat_sessions" cascade;`);

    this.addSql(`drop table if exists "chat_messages" cascade;`);
  }

}
