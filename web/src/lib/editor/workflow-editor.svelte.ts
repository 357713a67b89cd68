import type { NodeCategoriesDto } from '$contract/nodes';
import type { WorkflowDto } from '$contract/workflows';
import { ApiRequestError } from '../api/api-error';
import { catalogueOf } from '../graph/canvas-types';
import { placeProblems } from '../graph/graph-problems';
import { pinFromRun } from '../graph/pins';
import { markPhase } from '../perf/phase-marks';
import { LiveRun } from '../runs/live-run.svelte';
import { session } from '../session.svelte';
import { Autosave } from './autosave.svelte';
import { CanvasState } from './canvas-state.svelte';

/**
 * One workflow open in the editor: its canvas, saving (the server's problems placed on the nodes as warnings),
 * publishing, the run started from here, and test runs of the draft as drawn (saved or not), whole or one node.
 */
export class WorkflowEditor {
  workflow = $state.raw<WorkflowDto>(null!);
  latestVersion = $state<number | null>(null);
  error = $state<unknown>(null);
  busy = $state<'saving' | 'publishing' | 'starting' | 'testing' | null>(null);
  /** What the last action did, for the status line. */
  notice = $state('');
  live = $state.raw<LiveRun | null>(null);
  /** The latest test run started here, whose node outputs can be pinned. */
  lastTestRunId = $state<string | null>(null);
  readonly autosave = new Autosave(this);

  private constructor(
    workflow: WorkflowDto,
    readonly canvas: CanvasState,
    readonly categories: NodeCategoriesDto,
  ) {
    this.workflow = workflow;
    this.latestVersion = workflow.latestVersion;
    canvas.problems = placeProblems(workflow.problems);
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

  async save(by: 'button' | 'autosave' = 'button'): Promise<boolean> {
    return this.act('saving', async () => {
      const graph = this.canvas.graph();
      try {
        this.workflow = await session.workflows.update(this.workflow.id, { graph });
        this.canvas.markSaved(graph, placeProblems(this.workflow.problems));
        const count = this.workflow.problems.length;
        const saved = by === 'autosave' ? 'Draft autosaved' : 'Saved';
        this.notice = count === 0 ? `${saved}.` : `${saved} with ${count} problem${count === 1 ? '' : 's'} to fix before publishing or test runs.`;
      } catch (error) {
        this.placeRefusal(error, by === 'autosave' ? 'Autosave failed: the draft has unsaved changes.' : '');
      }
    });
  }

  /** Renames the workflow and sets its tags; the draft's graph is left as it is. Answers whether it was saved. */
  async setDetails(details: { name: string; tags: string[] }): Promise<boolean> {
    return this.act('saving', async () => {
      const { name, tags } = await session.workflows.update(this.workflow.id, details);
      this.workflow = { ...this.workflow, name, tags };
      this.notice = `Renamed to "${name}"${tags.length ? `, tagged ${tags.join(', ')}` : ''}.`;
    });
  }

  async publish(): Promise<void> {
    if (this.canvas.dirty && !(await this.save())) return;
    await this.act('publishing', async () => {
      const published = await session.workflows.publish(this.workflow.id).catch((error: unknown) => this.placeRefusal(error));
      this.latestVersion = published.number;
      this.notice = `Published version ${published.number}.`;
    });
  }

  async run(inputs: Record<string, unknown>): Promise<void> {
    await this.act('starting', async () => this.follow((await session.runs.start(this.workflow.id, { inputs })).id));
  }

  /** Test-runs the draft as the canvas holds it; with `node`, that node alone (on pins and the last test's outputs). */
  async testRun(test: { inputs?: Record<string, unknown>; node?: string }): Promise<void> {
    await this.act('testing', async () => {
      const started = await session.runs.test(this.workflow.id, { graph: this.canvas.graph(), ...test }).catch((error: unknown) => this.placeRefusal(error));
      this.lastTestRunId = started.id;
      this.notice = test.node ? `Testing node ${test.node}.` : 'Test run of the draft started.';
      this.follow(started.id);
    });
  }

  /** Pins the node's output in the latest test run started here; resolves with why it could not, or null. */
  async pinFromLastTest(nodeId: string): Promise<string | null> {
    if (this.lastTestRunId === null) return 'Test-run the draft first: then its node outputs can be pinned.';
    const made = pinFromRun(await session.runs.get(this.lastTestRunId), nodeId);
    if ('reason' in made) return made.reason;
    this.canvas.setPinned(nodeId, made.pin);
    return null;
  }

  private follow(runId: string): void {
    this.live?.stop();
    this.canvas.overlay = {};
    const live = new LiveRun(runId, this.canvas);
    this.live = live;
    live.follow();
  }

  /**
   * An `invalid_graph` refusal marks the nodes it names; every error is rethrown for the error banner, and the status
   * line says `notice` instead of what an earlier action did.
   */
  private placeRefusal(error: unknown, notice = ''): never {
    if (error instanceof ApiRequestError && error.code === 'invalid_graph') this.canvas.problems = placeProblems(error.details);
    this.notice = notice;
    throw error;
  }

  close(): void {
    this.autosave.stop();
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
