import { createHmac } from 'node:crypto';
import { ensureWebhooksForVersion } from '../api/webhooks/provision-webhooks';
import type { ApiServices } from '../api/services';
import { graphSchema, type GraphInput } from '../engine/graph';
import { Webhook, Workflow, WorkflowVersion } from '../db/entities';
import { open } from '../db/secret-box';

export interface WebhookOwner {
  userId: string;
  workspaceId: string;
}

export interface PublishedVersion {
  workflowId: string;
  number: number;
  /** The endpoints after publishing, by Webhook node id, with their secrets opened. */
  hooks: Record<string, { id: string; secret: string }>;
}

/**
 * Saves `graph` as a new published version of a workflow (a new workflow unless `workflowId` is given), the way
 * publishing does, and provisions its webhook endpoints. Rows are written directly: publishing's own route is
 * another engineer's, and these tests are about what happens to endpoints.
 */
export async function publishGraph(services: Pick<ApiServices, 'orm' | 'encryptionKey'>, owner: WebhookOwner, graph: GraphInput, workflowId?: string): Promise<PublishedVersion> {
  const em = services.orm.em.fork();
  const parsed = graphSchema.parse(graph);
  const workflow = workflowId
    ? await em.findOneOrFail(Workflow, workflowId)
    : em.create(Workflow, { workspace: owner.workspaceId, name: 'webhook test', draftGraph: parsed, createdBy: owner.userId });
  const latest = workflowId ? await em.count(WorkflowVersion, { workflow }) : 0;
  const version = em.create(WorkflowVersion, { workflow, number: latest + 1, graph: parsed, createdBy: owner.userId });
  await em.flush();
  const hooks = await ensureWebhooksForVersion(services, em, version);
  return {
    workflowId: workflow.id,
    number: version.number,
    hooks: Object.fromEntries(hooks.map((hook) => [hook.nodeId, { id: hook.id, secret: open(hook.secretSealed, services.encryptionKey) }])),
  };
}

/** The endpoint row as stored, for checks the API does not show (the sealed secret, the version it points at). */
export async function storedWebhook(services: Pick<ApiServices, 'orm'>, id: string): Promise<Webhook> {
  return services.orm.em.fork().findOneOrFail(Webhook, id, { populate: ['version'] });
}

/** Webhook node → End node; the End passes the delivery on, so the run's result is what the webhook received. */
export function echoGraph(config: Record<string, unknown> = {}, end: Record<string, unknown> = {}): GraphInput {
  return {
    nodes: [
      { id: 'hook', type: 'webhook', version: 1, data: { config } },
      { id: 'end', type: 'end', version: 1, data: { config: end } },
    ],
    edges: [{ id: 'hook-end', source: 'hook', target: 'end' }],
  };
}

/** `sha256=<hex>` of `<timestamp>.<body>` (or the body alone), as a sender signs a delivery. */
export function signDelivery(secret: string, body: string, timestamp?: number): string {
  const hmac = createHmac('sha256', secret);
  if (timestamp !== undefined) hmac.update(`${timestamp}.`);
  return `sha256=${hmac.update(body).digest('hex')}`;
}
