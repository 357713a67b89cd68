import { createHash, randomBytes } from 'node:crypto';
import { ref, type EntityManager } from '@mikro-orm/postgresql';
import { chatTriggerNode } from '../../activities/nodes/chat-trigger';
import { ChatEndpoint, Workflow, type WorkflowVersion } from '../../db/entities';
import type { Graph } from '../../engine/graph';

/** `chat_` and 32 random bytes, base64url: the address is public, so it must not be guessable. */
export function newChatEndpointId(): string {
  return `chat_${randomBytes(32).toString('base64url')}`;
}

/** A bearer token for a token-mode endpoint: 32 random bytes, base64url. Only its hash is stored. */
export function newChatToken(): string {
  return `chattok_${randomBytes(32).toString('base64url')}`;
}

export function chatTokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/**
 * Gives every Chat trigger node of a newly published version its public endpoint, as webhooks get theirs
 * (api/webhooks/provision-webhooks.ts): a node that had one keeps it (same id, same token), moved to the new version
 * with the node's current settings; endpoints whose node is gone are disabled. Changes go through `em`, so inside
 * publish's transaction they commit with the version.
 */
export async function ensureChatEndpointsForVersion(em: EntityManager, version: WorkflowVersion): Promise<ChatEndpoint[]> {
  const workflow = await em.findOneOrFail(Workflow, version.workflow.id);
  const existing = await em.find(ChatEndpoint, { workflow });
  const configs = chatTriggerSettings(version.graph);
  const endpoints = [...configs].map(([nodeId, settings]) => {
    const endpoint = existing.find((candidate) => candidate.nodeId === nodeId);
    if (!endpoint) return em.create(ChatEndpoint, { id: newChatEndpointId(), workspace: workflow.workspace, workflow, nodeId, version, tokenHash: NO_TOKEN, ...settings });
    Object.assign(endpoint, settings, { version: ref(version), enabled: true });
    return endpoint;
  });
  for (const endpoint of existing) {
    if (!configs.has(endpoint.nodeId)) endpoint.enabled = false;
  }
  await em.flush();
  return endpoints;
}

/** `tokenHash` until a token is issued (MikroORM's hidden-property type drops the column's `null`). */
const NO_TOKEN = null as unknown as ChatEndpoint['tokenHash'];

type ChatEndpointSettings = Pick<ChatEndpoint, 'authMode' | 'rateLimitPerMinute' | 'allowedOrigins'>;

function chatTriggerSettings(graph: Graph): Map<string, ChatEndpointSettings> {
  return new Map(
    graph.nodes
      .filter((node) => node.type === chatTriggerNode.type)
      .map((node) => {
        const { authMode, rateLimitPerMinute, allowedOrigins } = chatTriggerNode.config.parse(node.data.config);
        return [node.id, { authMode, rateLimitPerMinute, allowedOrigins }];
      }),
  );
}
