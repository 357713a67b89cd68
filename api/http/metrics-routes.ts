import { Router, type RequestHandler } from 'express';
import { apiRegistry, httpRequestDuration } from '../../platform/metrics/api-metrics';
import { routeOf } from './request-logging';

/** GET /metrics: the API's Prometheus series, unauthenticated like the health probes (keep it off the public edge). */
export function createMetricsRouter(): Router {
  const router = Router();
  router.get('/metrics', async (_request, response) => {
    response.set('content-type', apiRegistry.contentType).send(await apiRegistry.metrics());
  });
  return router;
}

/** Times every request by its route pattern; unmatched paths share one label so scanners cannot grow the series. */
export function httpMetrics(): RequestHandler {
  return (request, response, next) => {
    const stopTimer = httpRequestDuration.startTimer({ method: request.method });
    response.once('close', () => stopTimer({ route: routeOf(request) ?? 'unmatched', status: String(response.statusCode) }));
    next();
  };
}
