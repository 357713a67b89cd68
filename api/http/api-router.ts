import { Router } from 'express';
import { createAuthenticator } from '../auth/authenticate';
import { apiRoutes } from '../routes';
import type { ApiServices } from '../services';
import { registerRoutes } from './define-route';
import { withCallerLogged } from './request-logging';

/** Everything under /api/v1: every route from the one route list, behind bearer authentication. */
export function createApiRouter(services: ApiServices): Router {
  const router = Router();
  registerRoutes(router, apiRoutes, { authenticate: withCallerLogged(createAuthenticator(services.tokens)), services });
  return router;
}
