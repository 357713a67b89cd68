/**
 * GET answers asked for before the app has loaded. The entry module starts the first requests of the page being
 * opened (see first-requests.ts) while the browser still downloads and parses the app, and the app's ApiClient
 * adopts each answer once instead of asking again. An answer is adopted only if the app's request carries the same
 * headers (same token, same workspace), so a session that changed in between simply asks again; a 401 is handled
 * by the adopting client like any other answer, so there is still only one token refresh at a time.
 */
export class EarlyResponses {
  private readonly pending = new Map<string, { headers: string; response: Promise<Response> }>();

  /** Starts the GET now, or once `after` has settled (so that more urgent answers are not kept waiting by it). */
  start(url: string, init: RequestInit, fetcher: typeof fetch = fetch, after?: Promise<unknown>): Promise<Response> {
    const response = after ? after.then(() => fetcher(url, init), () => fetcher(url, init)) : fetcher(url, init);
    // Never adopted (the page asked for something else after all) must not surface as an unhandled rejection.
    response.catch(() => undefined);
    this.pending.set(url, { headers: headersKey(init), response });
    return response;
  }

  /** The early answer to this GET, once; undefined when there is none or it was asked with other headers. */
  take(url: string, init: RequestInit): Promise<Response> | undefined {
    const found = this.pending.get(url);
    if (!found) return undefined;
    this.pending.delete(url);
    return found.headers === headersKey(init) ? found.response : undefined;
  }
}

function headersKey(init: RequestInit): string {
  const headers = new Headers(init.headers);
  return JSON.stringify([...headers.entries()].sort(([a], [b]) => a.localeCompare(b)));
}

/** The page's one set of early answers, shared by the entry module and the session's client. */
export const earlyResponses = new EarlyResponses();
