import { acceptedDeliveryDto, webhookIdSchema } from '../../contract/webhooks';
import { toJsonSchema } from '../http/json-schema';
import type { OpenApiPathItem } from '../http/openapi';
import { WEBHOOK_ANSWER_HEADERS } from './answer-headers';
import { MAX_JSON_NESTING_DEPTH } from '../http/json-nesting';

/** A webhook's refusals share one body shape, `{ error: { code, message, details } }`, like the rest of the API. */
const refusal = (description: string) => ({ description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } });

/** The security schemes a hook's `authMode` chooses between; the header names are the defaults, which a hook may change. */
export const WEBHOOK_SECURITY_SCHEMES = {
  webhookToken: {
    type: 'http',
    scheme: 'bearer',
    description: "Token mode: the hook's secret as `Authorization: Bearer <token>`, or alone in the header the hook's `tokenHeader` names.",
  },
  webhookSignature: {
    type: 'apiKey',
    in: 'header',
    name: 'X-Kai-Signature',
    description:
      "HMAC mode: `sha256=<hex>` of HMAC-SHA256(secret, raw body), or of `<timestamp>.<raw body>` when the hook has a `timestampHeader` " +
      '(checked against `toleranceSeconds`). The header is the one the hook\'s `signatureHeader` names.',
  },
};

/**
 * The public delivery endpoint, which lives beside the versioned API (`/api/webhooks/…`, not `/api/v1/…`): its own
 * server URL, the hook's credentials instead of the API's, and the answers of async and sync mode. Methods and media
 * types are the hook's settings (`POST` and `application/json` unless changed), so only POST is listed.
 *
 * Its key is `/{webhookId}` under the server `/api/webhooks`: under `/api`, `/webhooks/{webhookId}` would collide with
 * the versioned API's own webhook resource, and a document's path keys must be unique.
 */
export const WEBHOOK_DELIVERY_PATH = '/{webhookId}';

export function webhookDeliveryPathItem(): OpenApiPathItem {
  const webhookIdJson = toJsonSchema(webhookIdSchema, 'input');
  const answerHeaders = {
    'Content-Security-Policy': { description: 'on every answer', schema: { type: 'string', const: WEBHOOK_ANSWER_HEADERS['content-security-policy'] } },
    'X-Content-Type-Options': { description: 'on every answer', schema: { type: 'string', const: WEBHOOK_ANSWER_HEADERS['x-content-type-options'] } },
  };
  return {
    servers: [{ url: '/api/webhooks' }],
    post: {
      operationId: 'deliverWebhook',
      summary: 'Deliver an event to a published workflow',
      description:
        "Starts a run of the workflow version the hook belongs to, with the delivery (body, headers, query, method) as the Webhook node's output. " +
        'An `Idempotency-Key` header (or the body field the hook names) makes retried deliveries find the same run. ' +
        'Every answer carries `Content-Security-Policy: sandbox` and `X-Content-Type-Options: nosniff`, so nothing a hook serves runs as the ' +
        "service's origin. Of the End node's headers only content headers (content-type, content-language, content-disposition, cache-control, " +
        'expires, pragma, etag, last-modified, vary, retry-after) and `x-` headers other than those browsers or proxies act on are sent; ' +
        'Set-Cookie, CORS, CSP and the rest are dropped, and the delivery\'s `error` names them. A 301/302/303/307/308 with a Location is sent only ' +
        "when the hook's `allowRedirects` is on and the Location is an absolute http(s) URL; otherwise the answer is 200 without it.",
      tags: ['webhooks'],
      security: [{ webhookToken: [] }, { webhookSignature: [] }, {}],
      parameters: [
        { name: 'webhookId', in: 'path', required: true, description: 'shown on the workflow once published (wh_…)', schema: webhookIdJson },
        { name: 'Idempotency-Key', in: 'header', required: false, description: "the sender's event id: one run per key", schema: { type: 'string', maxLength: 200 } },
      ],
      requestBody: { required: false, content: { 'application/json': { schema: {} }, 'application/x-www-form-urlencoded': { schema: { type: 'object' } } } },
      responses: {
        200: {
          description: "Sync mode: the End node's output, with the status and the allowed headers the End node sets",
          headers: answerHeaders,
          content: { 'application/json': { schema: {} } },
        },
        202: {
          description: 'Async mode (or a sync run still going after syncTimeout): Temporal holds the run',
          headers: answerHeaders,
          content: { 'application/json': { schema: toJsonSchema(acceptedDeliveryDto, 'output') } },
        },
        400: refusal(`A JSON body that does not parse or is nested deeper than ${MAX_JSON_NESTING_DEPTH} levels, or text that cannot be stored (NUL)`),
        401: refusal('Unknown or disabled hook, wrong credentials, or a sender outside the allowlist: all alike'),
        405: refusal('A method the hook does not accept'),
        413: refusal("The body is over the hook's maxBodyBytes"),
        415: refusal('A media type the hook does not accept'),
        429: refusal("Over the hook's rateLimitPerMinute; retry after the Retry-After header's seconds"),
        502: refusal('Sync mode: the run failed (runId names it)'),
      },
    },
  };
}
