import type { RequestHandler } from 'express';

/**
 * The policy of the canvas, the API docs and every API answer: scripts, styles and connections from this origin only,
 * no inline script (an injected `<script>` does not run), no plugins, no framing (clickjacking). Inline styles stay
 * allowed: Svelte and @xyflow/svelte position nodes through style attributes.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const HEADERS = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  // Page URLs name workflows and runs, and webhook URLs are their own credential: none leaves in a Referer.
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
};

/** Sets the headers on every answer; routes with their own policy (the public webhook endpoint) replace them. */
export function securityHeaders(): RequestHandler {
  return (_request, response, next) => {
    response.set(HEADERS);
    next();
  };
}
