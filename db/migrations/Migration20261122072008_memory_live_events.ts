import { Migration } from '@mikro-orm/migrations';

/** Conversation memory (turns and summaries per session id) and the live events of running nodes. */
export class Migration20261122072008_memory_live_events extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "node_live_events" ("id" bigserial primary key, "workflow_id" text not null, "run_id" text not null, "node_id" text not null, "attempt" int not null, "seq" int not null, "type" text not null, "data" jsonb not null, "created_at" timestamptz not null);`);
    this.addSql(`create index "node_live_events_workflow_id_id_index" on "node_live_events" ("workflow_id", "id");`);
    this.addSql(`create index "node_live_events_created_at_index" on "node_live_events" ("created_at");`);

    this.addSql(`create table "conversation_turns" ("id" bigserial primary key, "workspace_id" uuid null, "session_id" text not null, "run_id" text not null, "node_id" text not null, "role" text check ("role" in ('user', 'assistant')) not null, "content" text not null, "created_at" timestamptz not null);`);
    this.addSql(`create index "conversation_turns_workspace_id_session_id_id_index" on "conversation_turns" ("workspace_id", "session_id", "id");`);
    this.addSql(`create index "conversation_turns_run_id_node_id_index" on "conversation_turns" ("run_id", "node_id");`);

    this.addSql(`create table "conversation_summaries" ("id" bigserial primary key, "workspace_id" uuid null, "session_id" text not null, "summary" text not null, "through_turn_id" bigint not null, "created_at" timestamptz not null);`);
    this.addSql(`create index "conversation_summaries_workspace_id_session_id_id_index" on "conversation_summaries" ("workspace_id", "session_id", "id");`);

    this.addSql(`alter table "conversation_turns" add constraint "conversation_turns_workspace_id_foreign" foreign key ("workspace_id") references "workspaces" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "conversation_summaries" add constraint "conversation_summaries_workspace_id_foreign" foreign key ("workspace_id") references "workspaces" ("id") on update cascade on delete cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "node_live_events" cascade;`);

    this.addSql(`drop table if exists "conversation_turns" cascade;`);

    this.addSql(`drop table if exists "conversation_summaries" cascade;`);
  }

}
