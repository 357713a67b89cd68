import { Router } from 'express';
import { databaseCheck } from '../../platform/health/database-check';
import { checkReadiness, type HealthCheck } from '../../platform/health/readiness';
import { temporalCheck, workersCheck } from '../../platform/health/temporal-checks';
import type { ApiServices } from '../services';

/**
 * App-level probes, outside /api/v1 and without authentication (load balancers and orchestrators call them):
 * GET /health is liveness (the process serves HTTP; it checks nothing else, so an outage elsewhere does not get the
 * API restarted), GET /health/ready is readiness (503 until every dependency answers).
 */
export function createHealthRouter(services: ApiServices | undefined): Router {
  const router = Router();
  const checks: HealthCheck[] = services
    ? [databaseCheck(services.orm), temporalCheck(services.temporal.client, services.temporal.namespace), workersCheck(services.temporal.client, services.temporal.namespace, services.temporal.taskQueue)]
    : [];
  router.get('/health', (_request, response) => {
    response.json({ status: 'ok', uptimeSeconds: Math.round(process.uptime()) });
  });
  router.get('/health/ready', async (_request, response) => {
    const readiness = services ? await checkReadiness(checks) : { status: 'not_ready' as const, components: {}, reason: 'starting: not connected yet' };
    response.status(readiness.status === 'ready' ? 200 : 503).set('cache-control', 'no-store').json(readiness);
  });
  return router;
}
