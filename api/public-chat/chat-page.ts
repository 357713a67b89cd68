import { join } from 'node:path';
import express, { Router, type Request, type Response, type NextFunction } from 'express';
import { ChatEndpoint } from '../../db/entities';
import { chatEndpointIdSchema } from '../../contract/public-chat';
import type { ApiServices } from '../services';

const ASSETS = join(__dirname, 'assets');

/**
 * The chat page's policy: nothing but this origin's own script, style and API, no inline script or style at all,
 * and framed only by the endpoint's allowed origins. Stricter than the canvas's (which needs inline styles).
 */
export function chatPagePolicy(allowedOrigins: readonly string[]): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "connect-src 'self'",
    "img-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    `frame-ancestors ${allowedOrigins.length > 0 ? allowedOrigins.join(' ') : "'none'"}`,
  ].join('; ');
}

/** The page names only its endpoint id (checked against its pattern); its script reads it from the body's data attribute. */
function chatPageHtml(endpointId: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Chat</title>
<link rel="stylesheet" href="/chat-assets/chat-page.css">
</head>
<body data-endpoint-id="${endpointId}">
<main class="chat">
<ol class="messages" aria-live="polite"></ol>
<form class="composer">
<textarea name="message" rows="2" maxlength="32000" required aria-label="Message"></textarea>
<button type="submit">Send</button>
</form>
<p class="status" role="status"></p>
</main>
<script src="/chat-assets/chat-page.js"></script>
</body>
</html>
`;
}

/**
 * `/chat/{endpointId}`: the embeddable chat page of a published workflow; `/chat-assets/*`: its script and style;
 * `/chat-widget.js`: the script a site includes to add a chat bubble that opens the page in an iframe.
 */
export function createChatPageRouter(services: ApiServices): Router {
  const router = Router();
  router.use('/chat-assets', express.static(ASSETS, { index: false, fallthrough: false, maxAge: '1h' }));
  router.get('/chat-widget.js', (_request, response) => {
    response.set('cache-control', 'public, max-age=3600').sendFile(join(ASSETS, 'chat-widget.js'));
  });
  router.get('/chat/:endpointId', async (request: Request<{ endpointId: string }>, response: Response, next: NextFunction) => {
    try {
      const { endpointId } = request.params;
      const endpoint = chatEndpointIdSchema.safeParse(endpointId).success
        ? await services.orm.em.fork().findOne(ChatEndpoint, { id: endpointId, enabled: true }, { fields: ['allowedOrigins'] })
        : null;
      if (!endpoint) {
        response.status(404).type('text/plain').send('no published chat with this id');
        return;
      }
      // frame-ancestors names who may frame the page; X-Frame-Options (set for every answer) can name no one.
      response.removeHeader('x-frame-options');
      response.set({ 'content-security-policy': chatPagePolicy(endpoint.allowedOrigins), 'cache-control': 'no-cache' }).type('html').send(chatPageHtml(endpointId));
    } catch (error) {
      next(error);
    }
  });
  return router;
}
