import type { WorkflowDto, WorkflowVersionSummaryDto } from '$contract/workflows';
import { CanvasState } from '../editor/canvas-state.svelte';
import { catalogueOf, type Catalogue, type Graph } from '../graph/canvas-types';
import { session } from '../session.svelte';

export interface OpenedVersion {
  number: number;
  createdAt: string;
  /** As published, sent back unchanged on restore (not re-read from the canvas). */
  graph: Graph;
  canvas: CanvasState;
}

/**
 * A workflow's published versions, newest first; one of them opened read-only on the canvas, and restorable into
 * the draft (the draft's graph is replaced, so the next publish makes it the newest version again).
 */
export class VersionHistory {
  workflow = $state.raw<WorkflowDto>(null!);
  versions = $state.raw<WorkflowVersionSummaryDto[]>([]);
  opened = $state.raw<OpenedVersion | null>(null);
  error = $state<unknown>(null);
  notice = $state('');

  private constructor(
    workflow: WorkflowDto,
    versions: WorkflowVersionSummaryDto[],
    private readonly catalogue: Catalogue,
  ) {
    this.workflow = workflow;
    this.versions = versions;
  }

  static async load(workflowId: string): Promise<VersionHistory> {
    const [workflow, versions, types] = await Promise.all([session.workflows.get(workflowId), session.workflows.versions(workflowId), session.loadCatalogue()]);
    return new VersionHistory(workflow, versions, catalogueOf(types));
  }

  async open(number: number): Promise<void> {
    this.error = null;
    try {
      const version = await session.workflows.version(this.workflow.id, number);
      this.opened = { number, createdAt: version.createdAt, graph: version.graph, canvas: new CanvasState(version.graph, this.catalogue, true) };
    } catch (error) {
      this.error = error;
    }
  }

  /** Replaces the draft with the opened version's graph. */
  async restore(): Promise<boolean> {
    const opened = this.opened;
    if (!opened) return false;
    this.error = null;
    try {
      this.workflow = await session.workflows.update(this.workflow.id, { graph: opened.graph });
      this.notice = `Version ${opened.number} restored into the draft: open the editor to change it, and publish to make it live.`;
      return true;
    } catch (error) {
      this.error = error;
      return false;
    }
  }
}
