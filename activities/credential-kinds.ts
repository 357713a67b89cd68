import { z } from 'zod';
import { widget } from '../contract/widgets';

/**
 * The kinds of credential a workspace can hold. Fields listed in `secret` are encrypted at rest, never returned by
 * the API and never placed in a Temporal payload: activities load them by credential id when they run.
 */
export const credentialKinds = {
  openai: {
    label: 'OpenAI-compatible API',
    schema: z.object({ apiKey: z.string().min(1).max(500), baseUrl: z.url().optional() }).strict(),
    secret: ['apiKey'],
  },
  anthropic: {
    label: 'Anthropic',
    schema: z.object({ apiKey: z.string().min(1).max(500), baseUrl: z.url().optional().describe('the API root, default https://api.anthropic.com') }).strict(),
    secret: ['apiKey'],
  },
  'google-gemini': {
    label: 'Google Gemini',
    schema: z.object({ apiKey: z.string().min(1).max(500), baseUrl: z.url().optional().describe('default https://generativelanguage.googleapis.com') }).strict(),
    secret: ['apiKey'],
  },
  ollama: {
    label: 'Ollama',
    schema: z
      .object({
        baseUrl: z.url().describe('the Ollama server, e.g. http://ollama:11434'),
        apiKey: z.string().min(1).max(500).optional().describe('sent as a bearer token, for a server behind a proxy'),
      })
      .strict(),
    secret: ['apiKey'],
  },
  mistral: {
    label: 'Mistral',
    schema: z.object({ apiKey: z.string().min(1).max(500), baseUrl: z.url().optional().describe('default https://api.mistral.ai/v1') }).strict(),
    secret: ['apiKey'],
  },
  groq: {
    label: 'Groq',
    schema: z.object({ apiKey: z.string().min(1).max(500), baseUrl: z.url().optional().describe('the API root, default https://api.groq.com') }).strict(),
    secret: ['apiKey'],
  },
  http_bearer: {
    label: 'HTTP Bearer token',
    schema: z.object({ token: z.string().min(1).max(4000) }).strict(),
    secret: ['token'],
  },
  http_basic: {
    label: 'HTTP Basic auth',
    schema: z.object({ username: z.string().min(1).max(200), password: z.string().min(1).max(500) }).strict(),
    secret: ['password'],
  },
  http_header: {
    label: 'HTTP header',
    schema: z
      .object({ headerName: z.string().regex(/^[A-Za-z0-9-]{1,100}$/, 'must be a valid header name'), headerValue: z.string().min(1).max(4000) })
      .strict(),
    secret: ['headerValue'],
  },
  tavily: { label: 'Tavily', schema: z.object({ apiKey: z.string().min(1).max(500) }).strict(), secret: ['apiKey'] },
  cohere: {
    label: 'Cohere',
    schema: z.object({ apiKey: z.string().min(1).max(500), baseUrl: z.url().optional().describe('for embeddings; default https://api.cohere.com') }).strict(),
    secret: ['apiKey'],
  },
  postgres: {
    label: 'PostgreSQL connection',
    schema: z.object({ connectionString: z.string().regex(/^postgres(ql)?:\/\//, 'expected a postgres:// URL') }).strict(),
    secret: ['connectionString'],
  },
} as const satisfies Record<string, { label: string; schema: z.ZodObject; secret: readonly string[] }>;

export type CredentialKind = keyof typeof credentialKinds;
export type CredentialData<K extends CredentialKind> = z.output<(typeof credentialKinds)[K]['schema']>;
export const credentialKindNames = Object.keys(credentialKinds) as CredentialKind[];

export interface ResolvedCredential {
  id: string;
  /** The name people gave it, for error messages that must say which credential failed without showing it. */
  name?: string;
  kind: CredentialKind;
  /** Public and secret fields together, decrypted. Lives only in the activity's memory. */
  data: Record<string, string>;
}

/** Loads a credential by id at run time, inside the run's workspace only. */
export interface CredentialResolver {
  resolve(workspaceId: string | undefined, credentialId: string): Promise<ResolvedCredential>;
}

/** Splits validated credential data into the part stored in clear and the part that is encrypted. */
export function splitSecretFields(kind: CredentialKind, data: Record<string, unknown>): { publicData: Record<string, unknown>; secretData: Record<string, unknown> } {
  const secretNames = new Set<string>(credentialKinds[kind].secret);
  const entries = Object.entries(data);
  return {
    publicData: Object.fromEntries(entries.filter(([name]) => !secretNames.has(name))),
    secretData: Object.fromEntries(entries.filter(([name]) => secretNames.has(name))),
  };
}

/**
 * `config.credentialId` of a node that cannot run without a credential (a model, a search API, a database): one rule
 * for all of them, so a graph missing one is refused at save naming the field, not failed later by its run.
 */
export function requiredCredentialIdSchema(description: string) {
  const required = 'required: this node needs a credential';
  return z.string({ error: required }).trim().min(1, required).max(64).meta(widget('credential')).describe(description);
}

/** `config.credentialId` of a node that also runs without one (a public API, a local model). */
export function optionalCredentialIdSchema(description: string) {
  return z.string().max(64).meta(widget('credential')).optional().describe(description);
}
