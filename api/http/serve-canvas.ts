import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import express, { Router } from 'express';

/** Where `npm run build:web` (and the install's `prepare`) puts the canvas. */
export const CANVAS_DIST = resolve(__dirname, '../../web/dist');

/** Paths the canvas never owns: they keep the API's own answers (404 JSON included). */
const SERVER_PATHS = /^\/(api|health|metrics)(\/|$)/;

/**
 * The built canvas at `/`: its files, and index.html for any other GET that is not the API's, so the app's own
 * routes (/workflows/…, /runs/…) survive a reload. Without a build nothing is mounted and the API runs alone.
 */
export function serveCanvas(dist = CANVAS_DIST): Router | undefined {
  const index = join(dist, 'index.html');
  if (!existsSync(index)) return undefined;
  const router = Router();
  // Hashed asset names change with their content, so they may be cached for good; index.html never is.
  router.use('/assets', express.static(join(dist, 'assets'), { immutable: true, maxAge: '1y', fallthrough: false }));
  router.use(express.static(dist, { index: false }));
  // A middleware, not a route: a route would stamp `request.route` and pass-through 404s would be logged under it.
  router.use((request, response, next) => {
    if ((request.method !== 'GET' && request.method !== 'HEAD') || SERVER_PATHS.test(request.path) || !request.accepts('html')) {
      next();
      return;
    }
    response.set('cache-control', 'no-cache').sendFile(index);
  });
  return router;
}
