import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261122031539_initial } from './Migration20261122031539_initial';
import { Migration20261122033719_triggers } from './Migration20261122033719_triggers';
import { Migration20261122042036_output_workspace } from './Migration20261122042036_output_workspace';

/** Every migration, oldest first; listed here rather than discovered from the folder. */
export const migrations: MigrationObject[] = [
  { name: 'Migration20261122031539_initial', class: Migration20261122031539_initial },
  { name: 'Migration20261122033719_triggers', class: Migration20261122033719_triggers },
  { name: 'Migration20261122042036_output_workspace', class: Migration20261122042036_output_workspace },
];
