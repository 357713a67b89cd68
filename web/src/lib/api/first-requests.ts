import { matchRoute } from '../router/route-match';
import { ApiClient } from './api-client';
import { earlyResponses } from './early-responses';
import { memoryTokenStore } from './token-store';
import { workspaceStore } from './workspace-store';

/**
 * The GETs the app makes first when opened at `path`: the page's own data (the editor's workflow and node catalogue,
 * see WorkflowEditor.open), then who is signed in, which every signed-in page loads but only the top bar waits
 * for. A request listed here that the page no longer makes costs one wasted GET, so keep this in step with the pages.
 */
export function firstRequestsOf(path: string): { page: string[]; then: string[] } {
  const editor = matchRoute('/workflows/:workflowId', path);
  return {
    page: editor ? [`/workflows/${encodeURIComponent(editor.workflowId)}`, '/nodes', '/nodes/categories'] : [],
    then: ['/auth/me'],
  };
}

/**
 * Restores the session from the refresh cookie and starts the first requests of the page at `path` from the entry
 * module, while the app itself still downloads and parses; the session's client adopts their answers
 * (early-responses.ts) and shares the restoring refresh, since both clients keep the token in the same store. The
 * rest waits for the page's data, since the server answers database reads one at a time.
 */
export function startFirstRequests(path: string): void {
  const api = new ApiClient({ tokens: memoryTokenStore, workspaceId: workspaceStore.read, onSignedOut: () => undefined, early: earlyResponses });
  void api.restore().then((signedIn) => {
    if (!signedIn) return;
    const requests = firstRequestsOf(path);
    const pageData = Promise.allSettled(requests.page.flatMap((request) => api.prefetch(request) ?? []));
    for (const request of requests.then) void api.prefetch(request, pageData);
  });
}
