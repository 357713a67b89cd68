import type { EntityManager, FilterQuery } from '@mikro-orm/postgresql';
import { startNode } from '../../activities/nodes/start';
import type { Graph } from '../../engine/graph';
import { Workflow } from '../../db/entities';
import type { WorkflowDto, WorkflowSummaryDto } from '../../contract/workflows';
import { ApiError } from '../http/api-error';
import type { Principal } from '../http/define-route';
import { forgetPublishedHooks } from '../webhooks/published-hooks';
import { validateGraph } from '../../activities/plan-run';
import { draftGraph } from './checked-graph';
import { decodeCursor, encodeCursor } from './page-cursor';

/** Who acts and where: every workflow is read and written inside this workspace only. */
export type WorkflowScope = Pick<Principal, 'workspaceId' | 'userId'>;

export interface WorkflowFields {
  name: string;
  description?: string;
  tags?: string[];
  /** As the client sent it; saved when it has the shape of a graph, its problems reported with it. */
  graph?: unknown;
}

export interface WorkflowListQuery {
  q?: string;
  tag?: string;
  limit: number;
  cursor?: string;
}

/** What a new workflow holds until someone draws more: a Start node, which alone is a valid graph. */
export function startOnlyGraph(): Graph {
  return {
    nodes: [{ id: 'start', type: startNode.type, version: startNode.version, label: startNode.label, position: { x: 0, y: 0 }, data: { config: {} } }],
    edges: [],
  };
}

/**
 * Drafts: create, list, read, edit and delete the workflows of one workspace. A draft is saved as drawn, valid or
 * not, so half-built graphs are kept; what keeps it from running comes back as its `problems`.
 */
export class WorkflowService {
  constructor(
    private readonly em: EntityManager,
    private readonly scope: WorkflowScope,
  ) {}

  async create(fields: WorkflowFields, graphAt = 'body.graph'): Promise<WorkflowDto> {
    const workflow = this.em.create(Workflow, {
      workspace: this.scope.workspaceId,
      name: fields.name,
      description: fields.description ?? '',
      tags: fields.tags ?? [],
      draftGraph: fields.graph === undefined ? startOnlyGraph() : draftGraph(fields.graph, graphAt).graph,
      createdBy: this.scope.userId,
    });
    await this.em.flush();
    return this.detail(workflow);
  }

  async list(query: WorkflowListQuery): Promise<{ items: WorkflowSummaryDto[]; nextCursor: string | null }> {
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
    const where: FilterQuery<Workflow> = {
      workspace: this.scope.workspaceId,
      ...(query.q !== undefined && { name: { $ilike: `%${escapeLike(query.q)}%` } }),
      ...(query.tag !== undefined && { tags: { $contains: [query.tag] } }),
      ...(after && { $or: [{ updatedAt: { $lt: after.at } }, { updatedAt: after.at, id: { $lt: after.id } }] }),
    };
    const rows = await this.em.find(Workflow, where, { orderBy: { updatedAt: 'desc', id: 'desc' }, limit: query.limit + 1 });
    const page = rows.slice(0, query.limit);
    const last = page.at(-1);
    return {
      items: await this.summarize(page),
      nextCursor: rows.length > query.limit && last ? encodeCursor({ at: last.updatedAt, id: last.id }) : null,
    };
  }

  async get(workflowId: string): Promise<WorkflowDto> {
    return this.detail(await this.find(workflowId));
  }

  async update(workflowId: string, changes: Partial<WorkflowFields>): Promise<WorkflowDto> {
    const workflow = await this.find(workflowId);
    if (changes.graph !== undefined) workflow.draftGraph = draftGraph(changes.graph, 'body.graph').graph;
    if (changes.name !== undefined) workflow.name = changes.name;
    if (changes.description !== undefined) workflow.description = changes.description;
    if (changes.tags !== undefined) workflow.tags = changes.tags;
    await this.em.flush();
    return this.detail(workflow);
  }

  async remove(workflowId: string): Promise<void> {
    const deleted = await this.em.nativeDelete(Workflow, { id: workflowId, workspace: this.scope.workspaceId });
    if (deleted === 0) throw ApiError.notFound('workflow');
    forgetPublishedHooks();
  }

  /** The workflow with this id in the scope's workspace; another workspace's answers 404 like a missing one. */
  async find(workflowId: string): Promise<Workflow> {
    const workflow = await this.em.findOne(Workflow, { id: workflowId, workspace: this.scope.workspaceId });
    if (!workflow) throw ApiError.notFound('workflow');
    return workflow;
  }

  private async detail(workflow: Workflow): Promise<WorkflowDto> {
    const [summary] = await this.summarize([workflow]);
    // Checked on every read, not stored: a node type retired since the save makes a problem too.
    return { ...summary, graph: workflow.draftGraph, problems: validateGraph(workflow.draftGraph) };
  }

  /** Adds to each workflow its author, newest version number and latest run, in three queries for the whole page. */
  private async summarize(workflows: Workflow[]): Promise<WorkflowSummaryDto[]> {
    if (workflows.length === 0) return [];
    const ids = workflows.map((workflow) => workflow.id);
    await this.em.populate(workflows, ['createdBy']);
    const latestVersions = await this.em.execute<{ workflow_id: string; latest: number }[]>(
      'select workflow_id, max(number)::int as latest from workflow_versions where workflow_id in (?) group by workflow_id',
      [ids],
    );
    const lastRuns = await this.em.execute<{ workflow_id: string; id: string; status: string; started_at: Date }[]>(
      "select distinct on (workflow_id) workflow_id, id, status, started_at from runs where workflow_id in (?) and trigger <> 'test' order by workflow_id, started_at desc, id desc",
      [ids],
    );
    const latestById = new Map(latestVersions.map((row) => [row.workflow_id, row.latest]));
    const runById = new Map(lastRuns.map((row) => [row.workflow_id, row]));
    return workflows.map((workflow) => {
      const run = runById.get(workflow.id);
      const author = workflow.createdBy.getEntity();
      return {
        id: workflow.id,
        name: workflow.name,
        description: workflow.description,
        tags: workflow.tags,
        latestVersion: latestById.get(workflow.id) ?? null,
        lastRun: run ? { id: run.id, status: run.status, startedAt: new Date(run.started_at).toISOString() } : null,
        createdBy: { userId: author.id, email: author.email },
        createdAt: workflow.createdAt.toISOString(),
        updatedAt: workflow.updatedAt.toISOString(),
      };
    });
  }
}

/** `%`, `_` and `\` in a search are matched literally. */
function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (character) => `\\${character}`);
}
