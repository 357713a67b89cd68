import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261122031539_initial } from './Migration20261122031539_initial';

/** Every migration, oldest first; listed here rather than discovered from the folder. */
export const migrations: MigrationObject[] = [{ name: 'Migration20261122031539_initial', class: Migration20261122031539_initial }];
