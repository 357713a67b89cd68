import { isDeepStrictEqual } from 'node:util';
import { ref, type EntityManager } from '@mikro-orm/postgresql';
import { webhookTriggerNode, type WebhookTriggerConfig } from '../../activities/nodes/webhook-trigger';
import type { Graph } from '../../engine/graph';
import { Webhook, Workflow, type WorkflowVersion } from '../../db/entities';
import { seal } from '../../db/secret-box';
import type { ApiServices } from '../services';
import { NO_PREVIOUS_SECRET, newWebhookId, newWebhookSecret } from './webhook-secrets';
import { settingsFromNodeConfig, type WebhookSettings } from './webhook-settings';

/**
 * Gives every Webhook node of a newly published version its endpoint. A node that had one keeps it (same id, same
 * secret) and the endpoint moves to the new version; settings changed on the node since the endpoint's previous
 * version are applied, settings changed only through the API stay. Endpoints whose node is gone are disabled (not
 * deleted: their deliveries stay listable, and a later version with the node moves them back without a new URL,
 * though they stay disabled until someone enables them). Changes go through `em`: inside publish's transaction
 * they commit with the version.
 */
export async function ensureWebhooksForVersion(services: Pick<ApiServices, 'encryptionKey'>, em: EntityManager, version: WorkflowVersion): Promise<Webhook[]> {
  const workflow = await em.findOneOrFail(Workflow, version.workflow.id);
  const existing = await em.find(Webhook, { workflow }, { populate: ['version'] });
  const configs = webhookConfigs(version.graph);
  const endpoints: Webhook[] = [];

  for (const [nodeId, config] of configs) {
    const settings = settingsFromNodeConfig(config);
    const hook = existing.find((candidate) => candidate.nodeId === nodeId);
    if (!hook) {
      endpoints.push(
        em.create(Webhook, {
          id: newWebhookId(),
          workspace: workflow.workspace,
          workflow,
          nodeId,
          version,
          secretSealed: seal(newWebhookSecret(), services.encryptionKey),
          previousSecretSealed: NO_PREVIOUS_SECRET,
          ...settings,
        }),
      );
      continue;
    }
    const previous = webhookConfigs(hook.version.getEntity().graph).get(nodeId);
    Object.assign(hook, changedSettings(previous ? settingsFromNodeConfig(previous) : undefined, settings));
    hook.version = ref(version);
    endpoints.push(hook);
  }

  for (const hook of existing) {
    if (!configs.has(hook.nodeId)) hook.enabled = false;
  }
  await em.flush();
  return endpoints;
}

/** The Webhook nodes of a graph, by node id, with their config's defaults applied. */
function webhookConfigs(graph: Graph): Map<string, WebhookTriggerConfig> {
  return new Map(
    graph.nodes.filter((node) => node.type === webhookTriggerNode.type).map((node) => [node.id, webhookTriggerNode.config.parse(node.data.config)]),
  );
}

/** The settings the node now asks for that differ from what it asked for before; all of them for a node new to the endpoint. */
function changedSettings(before: WebhookSettings | undefined, after: WebhookSettings): Partial<WebhookSettings> {
  if (!before) return after;
  return Object.fromEntries(Object.entries(after).filter(([name, value]) => !isDeepStrictEqual(before[name as keyof WebhookSettings], value)));
}
