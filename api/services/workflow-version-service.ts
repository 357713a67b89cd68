import { LockMode, type EntityManager } from '@mikro-orm/postgresql';
import { ScheduleLink, Workflow, WorkflowVersion } from '../../db/entities';
import type { PublishedVersionDto, WorkflowVersionDto, WorkflowVersionSummaryDto } from '../../contract/workflows';
import { ApiError } from '../http/api-error';
import type { ApiServices } from '../services';
import { ensureChatEndpointsForVersion } from '../public-chat/provision-chat-endpoints';
import { ensureWebhooksForVersion } from '../webhooks/provision-webhooks';
import { forgetPublishedHooks } from '../webhooks/published-hooks';
import { moveSchedulesToVersion } from './schedule-service';
import { checkedGraph } from './checked-graph';
import { withoutPins } from './test-run-reuse';
import { WorkflowService, type WorkflowScope } from './workflow-service';

/** Published versions: immutable snapshots of a draft, numbered 1, 2, … per workflow. Nothing here edits one. */
export class WorkflowVersionService {
  private readonly workflows: WorkflowService;

  constructor(
    private readonly em: EntityManager,
    private readonly scope: WorkflowScope,
  ) {
    this.workflows = new WorkflowService(em, scope);
  }

  /**
   * Freezes the current draft as the next version. The workflow row is locked for the transaction, so concurrent
   * publishes take numbers one after another; the unique (workflow, number) constraint backs this up. Everything
   * runs on the transaction's own connection (the embedded database has only one). The version's Webhook nodes get
   * their endpoints in the same transaction; schedules move to it (in Temporal, after the commit) when asked.
   */
  async publish(workflowId: string, options: { moveSchedules: boolean }, services: ApiServices): Promise<PublishedVersionDto> {
    const { version, webhooks } = await this.em.transactional(async (em) => {
      const workflow = await em.findOne(Workflow, { id: workflowId, workspace: this.scope.workspaceId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!workflow) throw ApiError.notFound('workflow');
      // Drafts are saved with their problems; a version must have none. Pins are sample data for test runs only.
      const graph = withoutPins(checkedGraph(workflow.draftGraph, 'draft'));
      const [{ latest }] = await em.execute<{ latest: number }[]>('select coalesce(max(number), 0)::int as latest from workflow_versions where workflow_id = ?', [workflow.id]);
      const created = em.create(WorkflowVersion, { workflow, number: latest + 1, graph, createdBy: this.scope.userId });
      const webhooks = await ensureWebhooksForVersion(services, em, created);
      await ensureChatEndpointsForVersion(em, created);
      return { version: created, webhooks };
    });
    forgetPublishedHooks();
    const moved = options.moveSchedules ? await moveSchedulesToVersion(services, this.em, workflowId, version.id) : [];
    const links = await this.em.find(ScheduleLink, { workflow: workflowId, version: { $ne: version.id } });
    return {
      ...(await this.detail(version)),
      webhooks: webhooks.filter((hook) => hook.enabled).map((hook) => ({ id: hook.id, nodeId: hook.nodeId, path: `/api/webhooks/${hook.id}` })),
      schedules: { moved, onOlderVersions: links.map((link) => link.id) },
    };
  }

  async list(workflowId: string): Promise<WorkflowVersionSummaryDto[]> {
    const workflow = await this.workflows.find(workflowId);
    const versions = await this.em.find(WorkflowVersion, { workflow }, { populate: ['createdBy'], orderBy: { number: 'desc' } });
    return versions.map(summarize);
  }

  async get(workflowId: string, number: number): Promise<WorkflowVersionDto> {
    const workflow = await this.workflows.find(workflowId);
    const version = await this.em.findOne(WorkflowVersion, { workflow, number });
    if (!version) throw ApiError.notFound(`version ${number} of this workflow`);
    return this.detail(version);
  }

  /** Every version with its graph, oldest first (what an export carries). */
  async all(workflow: Workflow): Promise<WorkflowVersion[]> {
    return this.em.find(WorkflowVersion, { workflow }, { orderBy: { number: 'asc' } });
  }

  private async detail(version: WorkflowVersion): Promise<WorkflowVersionDto> {
    await this.em.populate(version, ['createdBy']);
    return { ...summarize(version), workflowId: version.workflow.id, graph: version.graph };
  }
}

function summarize(version: WorkflowVersion): WorkflowVersionSummaryDto {
  const author = version.createdBy.getEntity();
  return { number: version.number, createdAt: version.createdAt.toISOString(), createdBy: { userId: author.id, email: author.email } };
}
