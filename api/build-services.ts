import type { Client } from '@temporalio/client';
import type { Logger } from 'pino';
import { createGuardedFetch } from '../activities/net/guarded-fetch';
import { openConfiguredDatabase } from '../db/orm';
import { loadSecretKeys } from '../db/secret-box';
import { protectedEndpoints, type Config } from '../platform/config';
import { connectClient } from '../platform/temporal-connection';
import { AccessTokens } from './auth/access-tokens';
import type { ApiServices } from './services';

/**
 * Connects what the API needs: the database (migrated by `npm start` or `db:migrate`), keys, and Temporal, through
 * `client` when given (`npm start` shares its worker's connection).
 */
export async function buildApiServices(config: Config, logger: Logger, client?: Client): Promise<ApiServices> {
  const keys = await loadSecretKeys(config);
  const orm = await openConfiguredDatabase(config);
  client ??= await connectClient(config.temporal);
  return {
    orm,
    tokens: new AccessTokens(keys.jwt),
    encryptionKey: keys.encryption,
    temporal: { client, taskQueue: config.temporal.taskQueue, activityRoutes: config.temporal.activityRoutes, namespace: config.temporal.namespace, webUiUrl: config.temporal.uiUrl },
    logger,
    outboundFetch: createGuardedFetch({ allow: config.outboundAllow, protect: protectedEndpoints(config) }),
    scheduleBackfillMaxRuns: config.scheduleBackfillMaxRuns,
    testRunRetentionMs: config.testRunRetentionMs,
  };
}

export async function closeApiServices(services: ApiServices): Promise<void> {
  await services.temporal.client.connection.close();
  await services.orm.close();
}
