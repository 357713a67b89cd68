import type { NodeCategoriesDto } from '$contract/nodes';
import type { WorkflowDto } from '$contract/workflows';
import { ApiRequestError } from '../api/api-error';
import { catalogueOf } from '../graph/canvas-types';
import { placeProblems } from '../graph/graph-problems';
import { markPhase } from '../perf/phase-marks';
import { LiveRun } from '../runs/live-run.svelte';
import { session } from '../session.svelte';
import { CanvasState } from './canvas-state.svelte';

/**
 * One workflow open in the editor: its canvas, saving (refused with the server's problems placed on the nodes),
 * publishing, and the run started from here.
 */
export class WorkflowEditor {
  workflow = $state.raw<WorkflowDto>(null!);
  latestVersion = $state<number | null>(null);
  error = $state<unknown>(null);
  busy = $state<'saving' | 'publishing' | 'starting' | null>(null);
  /** What the last action did, for the status line. */
  notice = $state('');
  live = $state.raw<LiveRun | null>(null);

  private constructor(
    workflow: WorkflowDto,
    readonly canvas: CanvasState,
    readonly categories: NodeCategoriesDto,
  ) {
    this.workflow = workflow;
    this.latestVersion = workflow.latestVersion;
  }

  static async open(workflowId: string): Promise<WorkflowEditor> {
    markPhase('editor-requests');
    const [workflow, types, categories] = await Promise.all([session.workflows.get(workflowId), session.loadCatalogue(), session.nodes.categories()]);
    markPhase('editor-data');
    return new WorkflowEditor(workflow, new CanvasState(workflow.graph, catalogueOf(types)), categories);
  }

  /** Why Run is not possible now, or null. */
  get runBlocker(): string | null {
    if (this.latestVersion === null) return 'Publish the workflow to run it: runs start from a published version.';
    if (this.canvas.dirty) return 'The draft has unsaved changes: save and publish them first (or run the last published version from the Runs page).';
    return null;
  }

  async save(): Promise<boolean> {
    return this.act('saving', async () => {
      try {
        this.workflow = await session.workflows.update(this.workflow.id, { graph: this.canvas.graph() });
        this.canvas.markSaved();
        this.notice = 'Saved.';
      } catch (error) {
        if (!(error instanceof ApiRequestError && error.code === 'invalid_graph')) throw error;
        this.canvas.problems = placeProblems(error.details);
        this.notice = '';
        throw error;
      }
    });
  }

  async publish(): Promise<void> {
    if (this.canvas.dirty && !(await this.save())) return;
    await this.act('publishing', async () => {
      const published = await session.workflows.publish(this.workflow.id);
      this.latestVersion = published.number;
      this.notice = `Published version ${published.number}.`;
    });
  }

  async run(inputs: Record<string, unknown>): Promise<void> {
    await this.act('starting', async () => {
      const started = await session.runs.start(this.workflow.id, { inputs });
      this.live?.stop();
      this.canvas.overlay = {};
      const live = new LiveRun(started.id, this.canvas);
      this.live = live;
      live.follow();
    });
  }

  close(): void {
    this.live?.stop();
  }

  private async act(kind: NonNullable<WorkflowEditor['busy']>, action: () => Promise<void>): Promise<boolean> {
    this.busy = kind;
    this.error = null;
    try {
      await action();
      return true;
    } catch (error) {
      this.error = error;
      return false;
    } finally {
      this.busy = null;
    }
  }
}
