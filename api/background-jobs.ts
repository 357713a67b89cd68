import { startDeliveryRetention } from './webhooks/delivery-retention';
import { startLiveEventRetention } from './services/run-live-events';
import { startRunReconciler } from './services/run-reconciler';
import { startScheduledRunIndexer } from './services/scheduled-run-indexer';
import { startTestRunRetention } from './services/test-run-retention';
import type { ApiServices } from './services';

/** How often the API process brings the run index in line with Temporal, and files runs that schedules started. */
const RECONCILE_INTERVAL_MS = 30_000;
const SCHEDULED_RUN_INDEX_INTERVAL_MS = 10_000;

/** The API process's periodic work; the returned function stops it, after any pass under way. */
export function startBackgroundJobs(services: ApiServices): () => Promise<void> {
  const stops = [
    startRunReconciler(services, RECONCILE_INTERVAL_MS),
    startScheduledRunIndexer(services, SCHEDULED_RUN_INDEX_INTERVAL_MS),
    startDeliveryRetention(services),
    startLiveEventRetention(services),
    startTestRunRetention(services),
  ];
  return async () => {
    await Promise.all(stops.map((stop) => stop()));
  };
}
