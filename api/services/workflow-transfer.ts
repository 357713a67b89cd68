import type { EntityManager } from '@mikro-orm/postgresql';
import { Credential } from '../../db/entities';
import { isUuid } from '../../db/entities/columns';
import type { Graph } from '../../engine/graph';
import { hasTemplate } from '../../engine/templates';
import { CREDENTIALS_NOTICE, IMPORTED_GRAPH_NAME, type ImportWorkflowBody, type WorkflowDocument, type WorkflowDto } from '../../contract/workflows';
import { WorkflowService, type WorkflowScope } from './workflow-service';
import { WorkflowVersionService } from './workflow-version-service';

/** Moves a workflow between workspaces or installations as one JSON document (see `workflowDocument`). */
export class WorkflowTransfer {
  private readonly workflows: WorkflowService;
  private readonly versions: WorkflowVersionService;

  constructor(
    private readonly em: EntityManager,
    private readonly scope: WorkflowScope,
  ) {
    this.workflows = new WorkflowService(em, scope);
    this.versions = new WorkflowVersionService(em, scope);
  }

  async export(workflowId: string, options: { versions: boolean }): Promise<{ document: WorkflowDocument; filename: string }> {
    const workflow = await this.workflows.find(workflowId);
    const document: WorkflowDocument = {
      kaiFusion: 1,
      exportedAt: new Date().toISOString(),
      notice: CREDENTIALS_NOTICE,
      workflow: { name: workflow.name, description: workflow.description, tags: workflow.tags, graph: workflow.draftGraph },
    };
    if (options.versions) {
      document.versions = (await this.versions.all(workflow)).map((version) => ({
        number: version.number,
        createdAt: version.createdAt.toISOString(),
        graph: version.graph,
      }));
    }
    return { document, filename: `${fileSlug(workflow.name)}.kai.json` };
  }

  /** A new workflow whose draft is the document's graph (or the bare graph sent), plus warnings about what did not come along. */
  async import(body: ImportWorkflowBody): Promise<{ workflow: WorkflowDto; warnings: string[] }> {
    const workflow =
      body.kaiFusion === 1
        ? await this.workflows.create(body.workflow, 'body.workflow.graph')
        : await this.workflows.create({ name: IMPORTED_GRAPH_NAME, graph: body }, 'body');
    const warnings = await this.missingCredentials(workflow.graph);
    const versionCount = body.kaiFusion === 1 ? (body.versions?.length ?? 0) : 0;
    if (versionCount > 0) {
      warnings.push(`the document's ${versionCount} published version${versionCount === 1 ? ' was' : 's were'} not imported: publish the draft to create version 1`);
    }
    return { workflow, warnings };
  }

  private async missingCredentials(graph: Graph): Promise<string[]> {
    const references = graph.nodes.flatMap((node) => {
      const credentialId = node.data.config.credentialId;
      // A templated id is chosen per run, so there is nothing to check now.
      return typeof credentialId === 'string' && !hasTemplate(credentialId) ? [{ nodeId: node.id, credentialId }] : [];
    });
    if (references.length === 0) return [];
    const candidates = references.map((reference) => reference.credentialId).filter(isUuid);
    const held =
      candidates.length === 0 ? [] : await this.em.find(Credential, { id: { $in: candidates }, workspace: this.scope.workspaceId }, { fields: ['id'] });
    const heldIds = new Set(held.map((credential) => credential.id));
    return references
      .filter((reference) => !heldIds.has(reference.credentialId))
      .map((reference) => `node "${reference.nodeId}" names credential ${reference.credentialId}, which this workspace does not hold: choose one of its credentials`);
  }
}

/** A file name anyone's file system accepts, from the workflow's name. */
function fileSlug(name: string): string {
  return (
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 80) || 'workflow'
  );
}
