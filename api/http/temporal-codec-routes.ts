import type { Payload, PayloadCodec } from '@temporalio/common';
import express, { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import { createAuthenticator } from '../auth/authenticate';
import type { ApiServices } from '../services';
import { ApiError } from './api-error';

/** A page of history the Web UI decodes at once can be large; payloads are never stored here. */
const BODY_LIMIT = '8mb';

const base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'expected base64');
const codecRequest = z.object({
  payloads: z.array(z.object({ metadata: z.record(z.string(), base64).optional(), data: base64.optional() })).max(10_000),
});
type JsonPayload = z.infer<typeof codecRequest>['payloads'][number];

/**
 * Temporal's codec-server protocol for Web UI: `POST /decode` and `/encode` take and answer `{ payloads: [...] }`
 * (Payload JSON: base64 metadata values and data). Only signed-in users (a valid Bearer token or API key) may
 * decode; the UI's origin may call it from the browser.
 */
export function createTemporalCodecRouter(services: ApiServices): Router {
  const router = Router();
  const authenticate = createAuthenticator(services.tokens);
  router.use(allowWebUiOrigin(services.temporal.webUiUrl));
  router.use(express.json({ limit: BODY_LIMIT }));
  const codecs = services.temporal.client.options.loadedDataConverter.payloadCodecs;
  for (const direction of ['encode', 'decode'] as const) {
    router.post(`/${direction}`, async (request, response) => {
      if (!(await authenticate(request, services.orm.em.fork()))) throw ApiError.unauthorized();
      const parsed = codecRequest.safeParse(request.body);
      if (!parsed.success) throw ApiError.fromZod(parsed.error, 'body');
      const payloads = await applyCodecs(codecs, direction, parsed.data.payloads.map(fromJson));
      response.json({ payloads: payloads.map(toJson) });
    });
  }
  return router;
}

/** Encoding runs the codecs in order, decoding in reverse, as the SDK does. */
async function applyCodecs(codecs: PayloadCodec[], direction: 'encode' | 'decode', payloads: Payload[]): Promise<Payload[]> {
  let result = payloads;
  for (const codec of direction === 'encode' ? codecs : [...codecs].reverse()) result = await codec[direction](result);
  return result;
}

function allowWebUiOrigin(webUiUrl: string | undefined): RequestHandler {
  const origin = webUiUrl ? new URL(webUiUrl).origin : undefined;
  return (request, response, next) => {
    if (origin && request.get('origin') === origin) {
      response.set({
        'access-control-allow-origin': origin,
        'access-control-allow-credentials': 'true',
        'access-control-allow-methods': 'POST, OPTIONS',
        'access-control-allow-headers': 'authorization, content-type, x-namespace',
        vary: 'origin',
      });
    }
    if (request.method === 'OPTIONS') response.status(204).end();
    else next();
  };
}

function fromJson(payload: JsonPayload): Payload {
  return {
    metadata: Object.fromEntries(Object.entries(payload.metadata ?? {}).map(([name, value]) => [name, new Uint8Array(Buffer.from(value, 'base64'))])),
    data: new Uint8Array(Buffer.from(payload.data ?? '', 'base64')),
  };
}

function toJson(payload: Payload): JsonPayload {
  return {
    metadata: Object.fromEntries(Object.entries(payload.metadata ?? {}).map(([name, value]) => [name, Buffer.from(value).toString('base64')])),
    data: Buffer.from(payload.data ?? new Uint8Array()).toString('base64'),
  };
}
