import type { RunNodeDto } from '$contract/runs';
import { followRun, isClosingEvent, type StreamedEvent } from '../api/run-stream';
import type { CanvasState } from '../editor/canvas-state.svelte';
import { session } from '../session.svelte';
import { applyRunEvent, overlayOfRun } from './run-overlay';

/** Events kept for the side panel; a long agent run streams many tokens. */
const KEPT_EVENTS = 1000;

/**
 * A run being followed over SSE: paints its events onto a canvas's overlay, keeps them for the event panel, and
 * once the run closes, reads the run's final record so attempts, durations and errors are exact.
 */
export class LiveRun {
  events = $state.raw<StreamedEvent[]>([]);
  /** The closing event's type (`run.succeeded`…) once the run has ended. */
  closed = $state<string | null>(null);
  /** The nodes of the run's final record, with their inputs and outputs, once it has ended. */
  nodes = $state.raw<RunNodeDto[] | null>(null);
  error = $state<unknown>(null);
  private readonly stopper = new AbortController();

  constructor(
    readonly runId: string,
    private readonly canvas: CanvasState,
  ) {}

  follow(): void {
    void followRun({
      api: session.api,
      runId: this.runId,
      signal: this.stopper.signal,
      onEvent: (event) => this.receive(event),
      onError: (error) => (this.error = error),
    });
  }

  stop(): void {
    this.stopper.abort();
  }

  async decide(nodeId: string, approved: boolean): Promise<void> {
    await this.guard(() => session.runs.decide(this.runId, nodeId, approved));
  }

  async cancel(): Promise<void> {
    await this.guard(() => session.runs.cancel(this.runId));
  }

  private receive(event: StreamedEvent): void {
    this.error = null;
    this.events = [...this.events.slice(-(KEPT_EVENTS - 1)), event];
    this.canvas.overlay = applyRunEvent(this.canvas.overlay, event);
    if (!isClosingEvent(event.type)) return;
    this.closed = event.type;
    void this.guard(async () => {
      const run = await session.runs.get(this.runId);
      if (!run.nodes) return;
      this.canvas.overlay = overlayOfRun(run.nodes);
      this.nodes = run.nodes;
    });
  }

  private async guard(action: () => Promise<unknown>): Promise<void> {
    try {
      this.error = null;
      await action();
    } catch (error) {
      this.error = error;
    }
  }
}
