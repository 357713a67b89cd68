import express, { Router } from 'express';
import { getAbsoluteFSPath } from 'swagger-ui-dist';
import type { OpenApiDocument } from './openapi';

const DOCUMENT_PATH = '/openapi.json';

/** Loads Swagger UI against our document; a file rather than an inline script, so a strict CSP can allow it. */
const INITIALIZER = `window.onload = () => {
  window.ui = SwaggerUIBundle({
    url: '/api${DOCUMENT_PATH}',
    dom_id: '#swagger-ui',
    deepLinking: true,
    persistAuthorization: true,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
    layout: 'StandaloneLayout',
  });
};
`;

const PAGE = `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="UTF-8">
    <title>KAI-Fusion API</title>
    <link rel="stylesheet" href="/api/docs/assets/swagger-ui.css">
    <link rel="icon" type="image/png" href="/api/docs/assets/favicon-32x32.png" sizes="32x32">
  </head>
  <body>
    <div id="swagger-ui"></div>
    <script src="/api/docs/assets/swagger-ui-bundle.js"></script>
    <script src="/api/docs/assets/swagger-ui-standalone-preset.js"></script>
    <script src="/api/docs/init.js"></script>
  </body>
</html>
`;

/**
 * Mounted at /api: the OpenAPI document at /api/openapi.json and Swagger UI at /api/docs, its files served from the
 * installed swagger-ui-dist package (no CDN, so the docs work offline and load nothing from elsewhere). All public.
 */
export function createDocsRouter(document: OpenApiDocument): Router {
  const router = Router();
  router.get(DOCUMENT_PATH, (_request, response) => {
    response.json(document);
  });
  router.get('/docs', (_request, response) => {
    response.type('html').send(PAGE);
  });
  router.get('/docs/init.js', (_request, response) => {
    response.type('js').send(INITIALIZER);
  });
  router.use('/docs/assets', express.static(getAbsoluteFSPath(), { index: false, maxAge: '1d' }));
  return router;
}
