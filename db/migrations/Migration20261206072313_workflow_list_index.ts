import { Migration } from '@mikro-orm/migrations';

/**
 * The workflow list reads a workspace's workflows last edited first, paged by (updated_at, id): one index serves it
 * (and, leading with workspace_id, the lookups the single-column index it replaces served).
 */
export class Migration20261206072313_workflow_list_index extends Migration {

  override async up(): Promise<void> {
    this.addSql(`drop index "workflows_workspace_id_index";`);

    this.addSql(`create index "workflows_workspace_updated_at_id_index" on "workflows" ("workspace_id", "updated_at" desc, "id" desc);`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "workflows_workspace_updated_at_id_index";`);

    this.addSql(`create index "workflows_workspace_id_index" on "workflows" ("workspace_id");`);
  }

}
