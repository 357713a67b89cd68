import { ApplicationFailure } from '@temporalio/activity';
import { z } from 'zod';
import { durationToMs } from '../../engine/duration';
import { durationSchema } from '../../engine/graph';
import { optionalCredentialIdSchema, type ResolvedCredential } from '../credential-kinds';
import { retryAfterMs } from '../net/retry-after';
import { DEFAULT_RETRY, defineTaskNode } from '../node-definition';

const scalar = z.union([z.string(), z.number(), z.boolean()]);

const configSchema = z
  .object({
    method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']).default('GET'),
    url: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }),
    headers: z.record(z.string(), z.string()).default({}),
    query: z.record(z.string(), scalar).default({}),
    body: z
      .discriminatedUnion('type', [
        z.object({ type: z.literal('none') }).strict(),
        z.object({ type: z.literal('json'), content: z.unknown() }).strict(),
        z.object({ type: z.literal('text'), content: z.string() }).strict(),
        z.object({ type: z.literal('form'), content: z.record(z.string(), scalar) }).strict(),
      ])
      .default({ type: 'none' }),
    timeout: durationSchema.default('30s').describe('per request; the activity timeout bounds all attempts'),
    responseType: z.enum(['auto', 'json', 'text']).default('auto'),
    /** When false, 4xx and 5xx answers are outputs like any other instead of errors. */
    failOnHttpError: z.boolean().default(true),
    credentialId: optionalCredentialIdSchema('an HTTP bearer, basic or header credential'),
  })
  .strict();

/**
 * What an Agent may choose when it calls the node as a tool; the rest (method, headers, credential) is configured.
 * Written to give plain JSON Schema (no type lists, no `propertyNames`, no untyped values), which stricter
 * OpenAI-compatible servers require of a function's parameters.
 */
const toolArgumentsSchema = z
  .object({
    url: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }).optional().describe('replaces the configured URL'),
    query: z.object({}).catchall(z.string()).optional().describe('query parameters added to the configured ones'),
    body: z.object({}).catchall(z.unknown()).optional().describe('a JSON object sent as the request body'),
  })
  .strict();

function withToolArguments(config: z.output<typeof configSchema>, args: z.output<typeof toolArgumentsSchema>): z.output<typeof configSchema> {
  return {
    ...config,
    url: args.url ?? config.url,
    query: { ...config.query, ...args.query },
    body: args.body === undefined ? config.body : { type: 'json', content: args.body },
  };
}

export const httpRequestNode = defineTaskNode({
  type: 'http-request',
  version: 1,
  category: 'network',
  label: 'HTTP Request',
  keywords: ['request', 'api', 'fetch', 'rest', 'url'],
  description:
    'Calls an HTTP endpoint. Network errors, timeouts, 429 (honouring Retry-After) and 5xx are retried by the ' +
    "node's retry policy; other 4xx fail at once.",
  config: configSchema,
  output: z.object({
    status: z.number(),
    statusText: z.string().optional().describe('not when called as an agent’s tool'),
    headers: z.record(z.string(), z.string()).optional().describe('not when called as an agent’s tool'),
    body: z.unknown().describe('parsed JSON, or text'),
  }),
  inputs: [{ id: 'in', label: 'Input' }],
  outputs: [{ id: 'out', label: 'Response' }],
  credentialKinds: ['http_bearer', 'http_basic', 'http_header'],
  tool: {
    description: 'Calls an HTTP endpoint and returns its status and body. Leave out what the request does not need.',
    arguments: toolArgumentsSchema,
  },
  retry: { ...DEFAULT_RETRY, maximumAttempts: 5, nonRetryableErrorTypes: ['HttpClientError'] },
  timeouts: { startToClose: '2m' },
  async run({ config: savedConfig, credential, signal, toolArguments, fetch }) {
    const config = toolArguments ? withToolArguments(savedConfig, toolArguments as z.output<typeof toolArgumentsSchema>) : savedConfig;
    const url = new URL(config.url);
    for (const [key, value] of Object.entries(config.query)) url.searchParams.append(key, String(value));
    const headers = new Headers(config.headers);
    if (credential) applyCredential(credential, headers);
    const body = encodeBody(config.body, headers);

    const response = await fetch(url, {
      method: config.method,
      headers,
      body,
      signal: AbortSignal.any([signal, AbortSignal.timeout(durationToMs(config.timeout))]),
    });
    const output = {
      status: response.status,
      statusText: response.statusText,
      headers: Object.fromEntries(response.headers),
      body: await parseBody(response, config.responseType),
    };
    if (config.failOnHttpError && !response.ok) throw httpFailure(config.method, url, response, output.body);
    // A model reads the answer, not the transport: headers would only fill its context.
    return toolArguments ? { status: output.status, body: output.body } : output;
  },
});

function applyCredential({ kind, data }: ResolvedCredential, headers: Headers): void {
  if (kind === 'http_bearer') headers.set('authorization', `Bearer ${data.token}`);
  if (kind === 'http_basic') headers.set('authorization', `Basic ${Buffer.from(`${data.username}:${data.password}`).toString('base64')}`);
  if (kind === 'http_header') headers.set(data.headerName, data.headerValue);
}

function encodeBody(body: z.output<typeof configSchema>['body'], headers: Headers): string | undefined {
  switch (body.type) {
    case 'none':
      return undefined;
    case 'json':
      if (!headers.has('content-type')) headers.set('content-type', 'application/json');
      return JSON.stringify(body.content ?? null);
    case 'text':
      if (!headers.has('content-type')) headers.set('content-type', 'text/plain; charset=utf-8');
      return body.content;
    case 'form':
      if (!headers.has('content-type')) headers.set('content-type', 'application/x-www-form-urlencoded');
      return new URLSearchParams(Object.entries(body.content).map(([k, v]): [string, string] => [k, String(v)])).toString();
  }
}

async function parseBody(response: Response, responseType: 'auto' | 'json' | 'text'): Promise<unknown> {
  const text = await response.text();
  const isJson = responseType === 'json' || (responseType === 'auto' && /[/+]json\b/i.test(response.headers.get('content-type') ?? ''));
  if (!isJson || text === '') return text;
  try {
    return JSON.parse(text);
  } catch (cause) {
    if (responseType === 'auto') return text;
    throw ApplicationFailure.create({ message: 'response body is not valid JSON', type: 'HttpResponseNotJson', nonRetryable: true, cause: cause as Error });
  }
}

/** 429 and 5xx are worth another attempt; any other 4xx will fail the same way again. */
function httpFailure(method: string, url: URL, response: Response, body: unknown): ApplicationFailure {
  const retryable = response.status === 429 || response.status >= 500;
  return ApplicationFailure.create({
    message: `${method} ${url.origin}${url.pathname} answered ${response.status} ${response.statusText}`.trim(),
    type: retryable ? 'HttpServerError' : 'HttpClientError',
    nonRetryable: !retryable,
    details: [{ status: response.status, body: typeof body === 'string' ? body.slice(0, 2000) : body }],
    nextRetryDelay: retryable ? retryAfterMs(response.headers.get('retry-after')) : undefined,
  });
}
