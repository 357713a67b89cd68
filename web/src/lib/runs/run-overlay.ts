import type { RunNodeDto } from '$contract/runs';
import type { StreamedEvent } from '../api/run-stream';

export type NodeRunStatus = RunNodeDto['status'];

/** What the canvas draws over one node while a run is followed or inspected. */
export interface NodeRunView {
  status: NodeRunStatus;
  attempts: number;
  startedAt?: number;
  endedAt?: number;
  error?: string;
  /** What a waiting Approval asks. */
  message?: string;
  branch?: string;
  /** How many items a For Each node loops over, once its loop has started. */
  items?: number;
}

export type RunOverlay = Readonly<Record<string, NodeRunView>>;

const NODE_EVENT_STATUS: Record<string, NodeRunStatus> = {
  'node.started': 'running',
  'node.retrying': 'running',
  'node.waiting': 'waiting',
  'node.succeeded': 'succeeded',
  'node.failed': 'failed',
  'node.skipped': 'skipped',
  'node.cancelled': 'cancelled',
};

/** The overlay of a run read from GET /runs/:id. */
export function overlayOfRun(nodes: readonly RunNodeDto[]): RunOverlay {
  return Object.fromEntries(
    nodes.map((node) => [
      node.id,
      {
        status: node.status,
        attempts: node.attempts,
        ...(node.startedAt ? { startedAt: Date.parse(node.startedAt) } : {}),
        ...(node.endedAt ? { endedAt: Date.parse(node.endedAt) } : {}),
        ...(node.error ? { error: node.error.message } : {}),
        ...(node.message ? { message: node.message } : {}),
        ...(node.branch ? { branch: node.branch } : {}),
        ...(node.forEach ? { items: node.forEach.items } : {}),
      },
    ]),
  );
}

/** The overlay after one streamed event; events that concern no node (run events, LLM tokens) leave it as it is. */
export function applyRunEvent(overlay: RunOverlay, event: StreamedEvent): RunOverlay {
  const status = NODE_EVENT_STATUS[event.type];
  const nodeId = event.payload.nodeId;
  if (!status || typeof nodeId !== 'string') return overlay;
  const before: NodeRunView = overlay[nodeId] ?? { status: 'pending', attempts: 0 };
  const at = typeof event.payload.at === 'number' ? event.payload.at : undefined;
  const attempts = numberOr(event.payload.attempts, numberOr(event.payload.attempt, before.attempts));
  const error = errorMessage(event.payload.error) ?? errorMessage(event.payload.lastFailure);
  const next: NodeRunView = { ...before, status, attempts };
  if (status === 'running' && before.startedAt === undefined && at !== undefined) next.startedAt = at;
  if (['succeeded', 'failed', 'skipped', 'cancelled'].includes(status) && at !== undefined) next.endedAt = at;
  if (error) next.error = error;
  if (typeof event.payload.branch === 'string') next.branch = event.payload.branch;
  if (typeof event.payload.message === 'string') next.message = event.payload.message;
  return { ...overlay, [nodeId]: next };
}

function numberOr(value: unknown, fallback: number): number {
  return typeof value === 'number' ? value : fallback;
}

function errorMessage(value: unknown): string | undefined {
  if (value && typeof value === 'object' && typeof (value as { message?: unknown }).message === 'string') return (value as { message: string }).message;
  return undefined;
}

/** "850 ms", "2.4 s", "3 min 5 s". */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes} min ${Math.round((ms % 60_000) / 1000)} s`;
}
