import type { RefreshedSessionResponse, SessionResponse } from '$contract/auth';
import { ApiRequestError } from './api-error';
import type { EarlyResponses } from './early-responses';

/** Where the session's access token lives; the refresh token is an httpOnly cookie the page never sees. */
export interface TokenStore {
  read(): string | null;
  write(accessToken: string | null): void;
}

/** The refresh in flight per token store: clients sharing a store (the entry module's, the app's) share it too. */
const refreshing = new WeakMap<TokenStore, Promise<boolean>>();

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
  private readonly fetch: typeof fetch;

  constructor(private readonly options: ApiClientOptions) {
    this.fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  }

  get signedIn(): boolean {
    return this.options.tokens.read() !== null;
  }

  /** Keeps a new session's access token (sign-up, sign-in); its refresh token arrived as the cookie. */
  startSession(session: Pick<SessionResponse, 'accessToken'>): void {
    this.options.tokens.write(session.accessToken);
  }

  /** Signed in already, or made so by the refresh cookie (a reload, a new tab); false means signing in. */
  restore(): Promise<boolean> {
    return this.signedIn ? Promise.resolve(true) : this.refresh();
  }

  /** Forgets the access token; the server revokes the cookie's refresh token and clears the cookie. */
  async endSession(): Promise<void> {
    this.options.tokens.write(null);
    await this.send('POST', '/auth/signout', {}, false).catch(() => undefined);
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

  /** An authorized response left unread, for streams (Server-Sent Events); a POST for streams a request starts. */
  async open(path: string, options: RequestOptions = {}, method: 'GET' | 'POST' = 'GET'): Promise<Response> {
    return this.send(method, path, options, true);
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
    const accessToken = this.options.tokens.read();
    if (accessToken) headers.authorization = `Bearer ${accessToken}`;
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
    const store = this.options.tokens;
    let pending = refreshing.get(store);
    if (!pending) {
      pending = this.exchangeRefreshToken().finally(() => refreshing.delete(store));
      refreshing.set(store, pending);
    }
    return pending;
  }

  /**
   * Spends the refresh cookie for a new access token (the browser sends the cookie and keeps the one the answer
   * sets). Tabs share the cookie, so the exchange holds a Web Lock: a second tab waits and then spends the cookie
   * the first one got, rather than the spent one (which would sign every tab out).
   */
  private async exchangeRefreshToken(): Promise<boolean> {
    const exchange = () => this.fetch(this.url('/auth/refresh'), { method: 'POST', credentials: 'same-origin' });
    const locks = globalThis.navigator?.locks;
    const response = await (locks ? locks.request('kai-refresh', exchange) : exchange());
    if (!response.ok) {
      this.options.tokens.write(null);
      return false;
    }
    this.startSession((await response.json()) as RefreshedSessionResponse);
    return true;
  }
}
