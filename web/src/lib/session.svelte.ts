import type { z } from 'zod';
import type { meResponse } from '$contract/auth';
import type { NodeTypeDto } from '$contract/nodes';
import { ApiClient } from './api/api-client';
import { ApiRequestError } from './api/api-error';
import { earlyResponses } from './api/early-responses';
import { authApi, chatApi, credentialsApi, nodesApi, runsApi, workflowsApi } from './api/endpoints';
import { memoryTokenStore } from './api/token-store';
import { workspaceStore } from './api/workspace-store';

export type Me = z.output<typeof meResponse>;

/**
 * The signed-in person, their workspaces and the API client acting for them. One instance for the app; pages
 * reach the API through `session.workflows`, `session.runs`… so every call carries the session and workspace.
 */
class Session {
  /** Until the refresh cookie has been tried, it is not known yet whether anyone is signed in. */
  restoring = $state(true);
  signedIn = $state(false);
  me = $state<Me | null>(null);
  workspaceId = $state<string | null>(workspaceStore.read());
  /** The node catalogue, loaded once per session. */
  catalogue = $state.raw<NodeTypeDto[] | null>(null);

  readonly api = new ApiClient({
    tokens: memoryTokenStore,
    workspaceId: () => this.workspaceId,
    onSignedOut: () => this.forget(),
    early: earlyResponses,
  });
  readonly auth = authApi(this.api);
  readonly workflows = workflowsApi(this.api);
  readonly runs = runsApi(this.api);
  readonly nodes = nodesApi(this.api);
  readonly credentials = credentialsApi(this.api);
  readonly chat = chatApi(this.api);

  constructor() {
    void this.api
      .restore()
      .catch(() => false)
      .then((signedIn) => {
        this.signedIn = signedIn;
        this.restoring = false;
      });
  }

  async signIn(email: string, password: string, mode: 'signin' | 'signup'): Promise<void> {
    const session = mode === 'signup' ? await this.auth.signUp({ email, password }) : await this.auth.signIn({ email, password });
    this.api.startSession(session);
    this.switchWorkspace(null);
    this.signedIn = true;
    await this.load();
  }

  async signOut(): Promise<void> {
    await this.api.endSession();
    this.forget();
  }

  /** Loads who is signed in; a workspace that is gone falls back to the personal one. */
  async load(): Promise<void> {
    try {
      this.me = await this.auth.me();
    } catch (error) {
      if (!(error instanceof ApiRequestError && error.status === 404 && this.workspaceId)) throw error;
      this.switchWorkspace(null);
      this.me = await this.auth.me();
    }
  }

  switchWorkspace(id: string | null): void {
    this.workspaceId = id;
    workspaceStore.write(id);
  }

  async loadCatalogue(): Promise<NodeTypeDto[]> {
    this.catalogue ??= await this.nodes.catalogue();
    return this.catalogue;
  }

  private forget(): void {
    this.signedIn = false;
    this.me = null;
  }
}

export const session = new Session();
