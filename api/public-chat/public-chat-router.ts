import { Router, type Request, type Response, type NextFunction } from 'express';
import { ChatEndpoint } from '../../db/entities';
import { registerRoutes } from '../http/define-route';
import type { ApiServices } from '../services';
import { DeliveryRateLimiter } from '../webhooks/rate-limiter';
import { publicChatRoutes } from './public-chat-routes';

/**
 * /api/chat: the public chat endpoints, with no account authentication (the endpoint's own token is checked by its
 * routes). A browser on one of the endpoint's allowed origins may call them (CORS); any other origin gets no CORS
 * headers, so its browser keeps the answer from it.
 */
export function createPublicChatRouter(services: ApiServices): Router {
  const router = Router();
  router.use('/:endpointId', allowListedOrigins(services));
  const limiter = new DeliveryRateLimiter(services.orm, undefined, { table: 'chat_rate_buckets', key: 'endpoint_id' });
  registerRoutes(router, publicChatRoutes(limiter), { authenticate: () => Promise.resolve(undefined), services });
  return router;
}

function allowListedOrigins(services: ApiServices) {
  return async (request: Request<{ endpointId: string }>, response: Response, next: NextFunction) => {
    const origin = request.headers.origin;
    try {
      if (origin) {
        const endpoint = await services.orm.em.fork().findOne(ChatEndpoint, { id: request.params.endpointId, enabled: true }, { fields: ['allowedOrigins'] });
        if (endpoint?.allowedOrigins.includes(origin)) {
          response.set({ 'access-control-allow-origin': origin, 'access-control-allow-methods': 'GET, POST', 'access-control-allow-headers': 'authorization, content-type', 'access-control-max-age': '600' });
        }
        response.vary('origin');
      }
      if (request.method === 'OPTIONS') response.status(204).end();
      else next();
    } catch (error) {
      next(error);
    }
  };
}
