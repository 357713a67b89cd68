import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261122031539_initial } from './Migration20261122031539_initial';
import { Migration20261122033719_triggers } from './Migration20261122033719_triggers';
import { Migration20261122042036_output_workspace } from './Migration20261122042036_output_workspace';
import { Migration20261122070305_vectors } from './Migration20261122070305_vectors';
import { Migration20261122072008_memory_live_events } from './Migration20261122072008_memory_live_events';
import { Migration20261206072313_workflow_list_index } from './Migration20261206072313_workflow_list_index';
import { Migration20261207084326_webhook_redirects } from './Migration20261207084326_webhook_redirects';
import { Migration20261207084422_invitations_key_scopes } from './Migration20261207084422_invitations_key_scopes';
import { Migration20261207160000_test_runs } from './Migration20261207160000_test_runs';
import { Migration20261207183909_chat_sessions } from './Migration20261207183909_chat_sessions';
import { Migration20261207190000_webhook_rate_buckets } from './Migration20261207190000_webhook_rate_buckets';
import { Migration20261207194955_public_chat_endpoints } from './Migration20261207194955_public_chat_endpoints';

/** Every migration, oldest first; listed here rather than discovered from the folder. */
export const migrations: MigrationObject[] = [
  { name: 'Migration20261122031539_initial', class: Migration20261122031539_initial },
  { name: 'Migration20261122033719_triggers', class: Migration20261122033719_triggers },
  { name: 'Migration20261122042036_output_workspace', class: Migration20261122042036_output_workspace },
  { name: 'Migration20261122070305_vectors', class: Migration20261122070305_vectors },
  { name: 'Migration20261122072008_memory_live_events', class: Migration20261122072008_memory_live_events },
  { name: 'Migration20261206072313_workflow_list_index', class: Migration20261206072313_workflow_list_index },
  { name: 'Migration20261207084326_webhook_redirects', class: Migration20261207084326_webhook_redirects },
  { name: 'Migration20261207084422_invitations_key_scopes', class: Migration20261207084422_invitations_key_scopes },
  { name: 'Migration20261207160000_test_runs', class: Migration20261207160000_test_runs },
  { name: 'Migration20261207183909_chat_sessions', class: Migration20261207183909_chat_sessions },
  { name: 'Migration20261207190000_webhook_rate_buckets', class: Migration20261207190000_webhook_rate_buckets },
  { name: 'Migration20261207194955_public_chat_endpoints', class: Migration20261207194955_public_chat_endpoints },
];
