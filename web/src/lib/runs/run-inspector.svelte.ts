import type { RunDetailDto } from '$contract/runs';
import { CanvasState } from '../editor/canvas-state.svelte';
import { catalogueOf } from '../graph/canvas-types';
import { session } from '../session.svelte';
import { LiveRun } from './live-run.svelte';
import { overlayOfRun } from './run-overlay';

/**
 * A run opened read-only on the graph of the version it ran, with its outcomes overlaid; a run still going is
 * followed live and read again when it closes.
 */
export class RunInspector {
  run = $state.raw<RunDetailDto>(null!);
  live = $state.raw<LiveRun | null>(null);
  error = $state<unknown>(null);

  private constructor(
    run: RunDetailDto,
    readonly canvas: CanvasState,
  ) {
    this.run = run;
    canvas.overlay = overlayOfRun(run.nodes ?? []);
  }

  static async open(runId: string): Promise<RunInspector> {
    const run = await session.runs.get(runId);
    // A test run carries the draft it ran; other runs ran their published version.
    const [graph, types] = await Promise.all([
      run.graph ?? (run.version === null ? null : session.workflows.version(run.workflowId, run.version).then((version) => version.graph)),
      session.loadCatalogue(),
    ]);
    const inspector = new RunInspector(run, new CanvasState(graph ?? { nodes: [], edges: [] }, catalogueOf(types), true));
    if (run.status === 'running') inspector.follow();
    return inspector;
  }

  async reload(): Promise<void> {
    try {
      this.run = await session.runs.get(this.run.id);
      this.canvas.overlay = overlayOfRun(this.run.nodes ?? []);
    } catch (error) {
      this.error = error;
    }
  }

  /** Starts the run again from `nodeId`; answers the new run's id. */
  async rerunFrom(nodeId: string): Promise<string | null> {
    try {
      return (await session.runs.rerun(this.run.id, { fromNode: nodeId })).id;
    } catch (error) {
      this.error = error;
      return null;
    }
  }

  close(): void {
    this.live?.stop();
  }

  private follow(): void {
    const live = new LiveRun(this.run.id, this.canvas);
    this.live = live;
    live.follow();
  }
}
