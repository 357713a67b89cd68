import { randomBytes } from 'node:crypto';
import pino, { type Logger } from 'pino';
import { createApp } from '../api/app';
import { AccessTokens } from '../api/auth/access-tokens';
import type { SessionResponse } from '../contract/auth';
import type { ApiServices } from '../api/services';
import { DbConversationMemory } from '../db/conversation-memory';
import { DbCredentialResolver } from '../db/credential-resolver';
import { DbNodeEventSink } from '../db/node-event-sink';
import { DbOutputStore } from '../db/node-output-store';
import type { Database } from '../db/orm';
import { DbVectorStore } from '../db/vector-store';
import { secretKey, type SecretKey } from '../db/secret-box';
import { createTestDatabase, type TestDatabase } from '../db/test-database';
import { DbWorkflowPlanSource } from '../db/workflow-plan-source';
import { createGuardedFetch } from '../activities/net/guarded-fetch';
import { serveOnLoopback, type LoopbackServer } from './loopback-server';
import { createTemporalHarness, type TemporalHarness, type TemporalHarnessOptions } from './temporal-harness';

export interface ApiResponse<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export interface RequestOptions {
  token?: string;
  body?: unknown;
  /** Sent as is, instead of JSON-encoding `body`. */
  rawBody?: string;
  headers?: Record<string, string>;
}

export interface TestAccount {
  email: string;
  password: string;
  token: string;
  refreshToken: string;
  userId: string;
  workspaceId: string;
}

export interface ApiHarness {
  url: string;
  services: ApiServices;
  database: TestDatabase;
  temporal: TemporalHarness;
  /** Every log line the API wrote, for tests that check what reaches the logs. */
  logs: string[];
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read response bodies by path
  request<T = any>(method: string, path: string, options?: RequestOptions): Promise<ApiResponse<T>>;
  signUp(name?: string): Promise<TestAccount>;
  /** Makes `member` a member of the owner's workspace the only way there is: the owner invites, the member accepts. */
  addMember(owner: TestAccount, member: TestAccount, role: 'editor' | 'viewer'): Promise<void>;
  close(): Promise<void>;
}

export interface ApiAppOptions {
  orm: Database;
  /** Runs start on its client and task queue. */
  temporal: Pick<TemporalHarness, 'client' | 'taskQueue'>;
  logger: Logger;
  /** Seals credential secrets; by default a fresh key. */
  encryptionKey?: SecretKey;
  /** `fetch` for requests the API makes on a user's behalf; by default only public addresses are reachable. */
  outboundFetch?: typeof fetch;
}

export interface ApiApp extends LoopbackServer {
  services: ApiServices;
}

/** The real API app over loopback HTTP, signing access tokens with a fresh key and linking runs to the local Temporal UI. */
export async function serveApiApp(options: ApiAppOptions): Promise<ApiApp> {
  const services: ApiServices = {
    orm: options.orm,
    tokens: new AccessTokens(randomBytes(32)),
    encryptionKey: options.encryptionKey ?? secretKey(randomBytes(32)),
    temporal: { client: options.temporal.client, taskQueue: options.temporal.taskQueue, namespace: 'default', webUiUrl: 'http://localhost:8233' },
    logger: options.logger,
    outboundFetch: options.outboundFetch,
  };
  return { ...(await serveOnLoopback(createApp({ logger: options.logger, services }))), services };
}

/**
 * The real API over loopback HTTP, on a fresh migrated database (PGlite, or KAI_TEST_DATABASE_URL's server), with
 * an in-process worker on the shared Temporal dev server that uses the same database for outputs and credentials.
 */
export async function createApiHarness(options: Pick<TemporalHarnessOptions, 'dataConverter' | 'outboundAllow'> = {}): Promise<ApiHarness> {
  const database = await createTestDatabase();
  const encryptionKey = secretKey(randomBytes(32));
  const temporal = await createTemporalHarness({
    outputs: new DbOutputStore(database.orm.em),
    credentials: new DbCredentialResolver(database.orm.em, encryptionKey),
    services: {
      vectors: new DbVectorStore(database.orm.em.getKnex()),
      workflows: new DbWorkflowPlanSource(database.orm.em),
      memory: new DbConversationMemory(database.orm.em),
      events: new DbNodeEventSink(database.orm.em),
    },
    outboundAllow: options.outboundAllow,
    dataConverter: options.dataConverter,
  });
  const logs: string[] = [];
  const app = await serveApiApp({
    orm: database.orm,
    temporal,
    logger: pino({ level: 'debug' }, { write: (line: string) => void logs.push(line) }),
    encryptionKey,
    outboundFetch: createGuardedFetch({ allow: options.outboundAllow ?? ['127.0.0.1'] }),
  });
  const { url, services } = app;
  let accounts = 0;

  const request = async <T>(method: string, path: string, options: RequestOptions = {}): Promise<ApiResponse<T>> => {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let body: string | undefined = options.rawBody;
    if (body === undefined && options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['content-type'] ??= 'application/json';
    }
    const response = await fetch(`${url}${path}`, { method, headers, body });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // a non-JSON body (SSE, HTML docs) stays text
    }
    return { status: response.status, headers: response.headers, body: parsed as T, text };
  };

  return {
    url,
    services,
    database,
    temporal,
    logs,
    request,
    async signUp(name = 'user') {
      const email = `${name}-${++accounts}-${randomBytes(3).toString('hex')}@example.com`;
      const password = 'correct horse battery staple';
      const signedUp = await request<SessionResponse>('POST', '/api/v1/auth/signup', { body: { email, password } });
      if (signedUp.status !== 201) throw new Error(`sign-up failed: ${signedUp.status} ${signedUp.text}`);
      const me = await request<{ user: { id: string }; workspace: { id: string } }>('GET', '/api/v1/auth/me', { token: signedUp.body.accessToken });
      return { email, password, token: signedUp.body.accessToken, refreshToken: signedUp.body.refreshToken, userId: me.body.user.id, workspaceId: me.body.workspace.id };
    },
    async addMember(owner, member, role) {
      const invited = await request<{ id: string }>('POST', `/api/v1/workspaces/${owner.workspaceId}/invitations`, { token: owner.token, body: { email: member.email, role } });
      if (invited.status !== 201) throw new Error(`inviting ${member.email} answered ${invited.status}: ${invited.text}`);
      const accepted = await request('POST', `/api/v1/invitations/${invited.body.id}/accept`, { token: member.token });
      if (accepted.status !== 200) throw new Error(`accepting the invitation answered ${accepted.status}: ${accepted.text}`);
    },
    async close() {
      await app.close();
      await temporal.close();
      await database.close();
    },
  };
}
