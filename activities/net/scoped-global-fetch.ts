import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * For SDKs that call the global `fetch` and take no fetch of their own (Google's @google/generative-ai, under
 * @langchain/google-genai): inside `scope.run(call)` the global fetch is the scope's fetch (a node's outbound-guarded
 * one), and only there: everywhere else, concurrent calls included, it stays Node's own. So the SDK's requests,
 * redirects included, are held to the outbound policy like any other node's, with no lookup-then-connect gap.
 *
 * Such an SDK also wraps a failed fetch in an error of its own without a cause; the scope puts the fetch's error
 * back as the cause, so an outbound refusal or a named network failure is not lost.
 */

export interface FetchScope {
  run<T>(call: () => Promise<T>): Promise<T>;
}

const active = new AsyncLocalStorage<{ fetch: typeof fetch; failure?: unknown }>();
let installed = false;

function installScopedFetch(): void {
  if (installed) return;
  const nodeFetch = globalThis.fetch;
  globalThis.fetch = async function scopedFetch(input: string | URL | Request, init?: RequestInit): Promise<Response> {
    const scope = active.getStore();
    if (!scope) return nodeFetch(input, init);
    try {
      return await scope.fetch(input, init);
    } catch (error) {
      scope.failure = error;
      throw error;
    }
  };
  installed = true;
}

export function fetchScope(scopedFetch: typeof fetch): FetchScope {
  installScopedFetch();
  return {
    async run(call) {
      const scope: { fetch: typeof fetch; failure?: unknown } = { fetch: scopedFetch };
      try {
        return await active.run(scope, call);
      } catch (error) {
        if (scope.failure !== undefined && error instanceof Error && error !== scope.failure && error.cause === undefined) error.cause = scope.failure;
        throw error;
      }
    },
  };
}
