import { Migration } from '@mikro-orm/migrations';

export class Migration20261122042036_output_workspace extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "node_outputs" add column "workspace_id" uuid null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "node_outputs" drop column "workspace_id";`);
  }

}
