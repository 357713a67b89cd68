import type { Client } from '@temporalio/client';
import type { Logger } from 'pino';
import type { Database } from '../db/orm';
import type { SecretKey } from '../db/secret-box';
import type { AccessTokens } from './auth/access-tokens';
import type { ActivityRoutes } from '../engine/route-activities';

/** What route handlers may use; built once by api/main.ts (or a test) and passed to createApp. */
export interface ApiServices {
  orm: Database;
  tokens: AccessTokens;
  /** Seals credential secrets (AES-256-GCM). */
  encryptionKey: SecretKey;
  temporal: {
    client: Client;
    taskQueue: string;
    /** Node types whose activities run on task queues of their own. */
    activityRoutes?: ActivityRoutes;
    namespace: string;
    /** Base of Temporal Web UI links, e.g. http://localhost:8233; absent when no UI is known. */
    webUiUrl?: string;
  };
  logger: Logger;
  /**
   * `fetch` under the outbound policy (KAI_OUTBOUND_ALLOW), for requests the API makes on a user's behalf (a search
   * embedding its query with a provider). Absent: only public addresses are reachable.
   */
  outboundFetch?: typeof fetch;
  /** Runs one schedule backfill may start (KAI_SCHEDULE_BACKFILL_MAX_RUNS); absent, the default of 1,000. */
  scheduleBackfillMaxRuns?: number;
  /** How long the rows of test runs are kept (KAI_TEST_RUN_RETENTION); absent, 7 days. */
  testRunRetentionMs?: number;
}
