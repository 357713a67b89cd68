import { createApiHarness, type ApiHarness, type TestAccount } from './api-harness';
import { startOpenAiCompatibleServer, type OpenAiCompatibleServer } from './openai-compatible-server';
import { quietRuntime } from './temporal-harness';

export interface ChatApi {
  api: ApiHarness;
  provider: OpenAiCompatibleServer;
  owner: TestAccount;
  /** An OpenAI-compatible credential of `owner`'s workspace, pointing at `provider`. */
  credentialId: string;
}

/**
 * The API, a local model server and an owner with a credential for it, for tests that chat. The server spaces its
 * chunks out, so a client can leave while an answer is still streaming.
 */
export async function startChatApi(name: string, apiKey: string): Promise<ChatApi> {
  quietRuntime('ERROR');
  const [api, provider] = await Promise.all([createApiHarness(), startOpenAiCompatibleServer({ apiKey, streamChunkDelayMs: 30 })]);
  const owner = await api.signUp(name);
  const credential = await api.request<{ id: string }>('POST', '/api/v1/credentials', { token: owner.token, body: { name: 'Model', kind: 'openai', data: { apiKey, baseUrl: provider.baseUrl } } });
  return { api, provider, owner, credentialId: credential.body.id };
}
