import { Migration } from '@mikro-orm/migrations';

/**
 * Test runs: a run of a draft's graph rather than of a published version, so the graph it ran is kept on its row and
 * it has no version; `trigger = 'test'` tells them apart.
 */
export class Migration20261207160000_test_runs extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "runs" drop constraint if exists "runs_trigger_check";`);
    this.addSql(`alter table "runs" add constraint "runs_trigger_check" check ("trigger" in ('api', 'cli', 'webhook', 'schedule', 'rerun', 'test'));`);
    this.addSql(`alter table "runs" alter column "version_id" drop not null;`);
    this.addSql(`alter table "runs" alter column "version_number" drop not null;`);
    this.addSql(`alter table "runs" add column "graph" jsonb null;`);
    this.addSql(`create index "runs_trigger_started_at_index" on "runs" ("trigger", "started_at");`);
  }

  override async down(): Promise<void> {
    this.addSql(`delete from "runs" where "trigger" = 'test';`);
    this.addSql(`drop index "runs_trigger_started_at_index";`);
    this.addSql(`alter table "runs" drop column "graph";`);
    this.addSql(`alter table "runs" alter column "version_number" set not null;`);
    this.addSql(`alter table "runs" alter column "version_id" set not null;`);
    this.addSql(`alter table "runs" drop constraint if exists "runs_trigger_check";`);
    this.addSql(`alter table "runs" add constraint "runs_trigger_check" check ("trigger" in ('api', 'cli', 'webhook', 'schedule', 'rerun'));`);
  }

}
