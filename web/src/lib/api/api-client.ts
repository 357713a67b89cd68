import type { SessionResponse } from '$contract/auth';
import { ApiRequestError } from './api-error';
import type { EarlyResponses } from './early-responses';

export interface Tokens {
  accessToken: string;
  refreshToken: string;
}

/** Where the session's tokens live between page loads. */
export interface TokenStore {
  read(): Tokens | null;
  write(tokens: Tokens | null): void;
}

export interface ApiClientOptions {
  tokens: TokenStore;
  /** The workspace requests act in (sent as X-Kai-Workspace); null acts in the personal workspace. */
  workspaceId: () => string | null;
  /** Called when the session cannot be refreshed, so the app can show the sign-in page. */
  onSignedOut: () => void;
  baseUrl?: string;
  fetch?: typeof fetch;
  /** GET answers started before the app loaded (see early-responses.ts), adopted instead of asking again. */
  early?: EarlyResponses;
}

export type QueryValue = string | number | boolean | undefined;

export interface RequestOptions {
  body?: unknown;
  query?: Record<string, QueryValue>;
  signal?: AbortSignal;
  headers?: Record<string, string>;
}

/**
 * The one way the canvas talks to /api/v1: adds the access token and workspace, turns error answers into
 * {@link ApiRequestError}, and on a 401 refreshes the token pair once (one refresh at a time, since a refresh
 * token is single use and reusing one revokes the whole family) before trying again.
 */
export class ApiClient {
  private refreshing: Promise<boolean> | null = null;
  private readonly fetch: typeof fetch;

  constructor(private readonly options: ApiClientOptions) {
    this.fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  }

  get signedIn(): boolean {
    return this.options.tokens.read() !== null;
  }

  /** Stores a new session (sign-up, sign-in). */
  startSession(session: SessionResponse): void {
    this.options.tokens.write({ accessToken: session.accessToken, refreshToken: session.refreshToken });
  }

  async endSession(): Promise<void> {
    const tokens = this.options.tokens.read();
    this.options.tokens.write(null);
    if (tokens) await this.send('POST', '/auth/signout', { body: { refreshToken: tokens.refreshToken } }, false).catch(() => undefined);
  }

  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const response = await this.send(method, path, options, true);
    if (response.status === 204) return undefined as T;
    const type = response.headers.get('content-type') ?? '';
    return (type.includes('json') ? await response.json() : await response.text()) as T;
  }

  /** Starts a GET now (or once `after` settled), for a later `request` of a client sharing the same `early` answers to adopt. */
  prefetch(path: string, after?: Promise<unknown>): Promise<Response> | undefined {
    return this.options.early?.start(this.url(path), this.init('GET', {}), this.fetch, after);
  }

  /** An authorized response left unread, for streams (Server-Sent Events). */
  async open(path: string, options: RequestOptions = {}): Promise<Response> {
    return this.send('GET', path, options, true);
  }

  private async send(method: string, path: string, options: RequestOptions, mayRefresh: boolean): Promise<Response> {
    const url = this.url(path, options.query);
    const init = this.init(method, options);
    const response = await ((method === 'GET' && this.options.early?.take(url, init)) || this.fetch(url, init));
    if (response.status === 401 && mayRefresh && this.options.tokens.read()) {
      if (await this.refresh()) return this.send(method, path, options, false);
      this.options.onSignedOut();
    }
    if (!response.ok) throw await ApiRequestError.fromResponse(response);
    return response;
  }

  private init(method: string, options: RequestOptions): RequestInit {
    const headers: Record<string, string> = { ...options.headers };
    const tokens = this.options.tokens.read();
    if (tokens) headers.authorization = `Bearer ${tokens.accessToken}`;
    const workspaceId = this.options.workspaceId();
    if (workspaceId) headers['x-kai-workspace'] = workspaceId;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    return { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body), signal: options.signal };
  }

  private url(path: string, query: Record<string, QueryValue> = {}): string {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) if (value !== undefined && value !== '') params.set(key, String(value));
    const search = params.size > 0 ? `?${params}` : '';
    return `${this.options.baseUrl ?? ''}/api/v1${path}${search}`;
  }

  private refresh(): Promise<boolean> {
    this.refreshing ??= this.exchangeRefreshToken().finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  private async exchangeRefreshToken(): Promise<boolean> {
    const tokens = this.options.tokens.read();
    if (!tokens) return false;
    const response = await this.fetch(this.url('/auth/refresh'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ refreshToken: tokens.refreshToken }),
    });
    if (!response.ok) {
      this.options.tokens.write(null);
      return false;
    }
    this.startSession((await response.json()) as SessionResponse);
    return true;
  }
}
