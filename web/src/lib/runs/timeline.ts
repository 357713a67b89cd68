import type { RunNodeDto } from '$contract/runs';

/** One bar of a run's waterfall, placed in percent of the run's span. */
export interface TimelineBar {
  nodeId: string;
  label: string;
  status: RunNodeDto['status'];
  attempts: number;
  /** Where the bar starts and how wide it is, in percent of the timeline. */
  left: number;
  width: number;
  durationMs: number;
  /** Still running or waiting: the bar ends at `now`. */
  open: boolean;
}

export interface Timeline {
  bars: TimelineBar[];
  spanMs: number;
}

/** Bars narrower than this (percent) are widened so instant nodes stay visible. */
const MIN_WIDTH = 0.5;

/**
 * The waterfall of a run's node executions, in start order. Nodes that never started (pending, skipped before
 * starting) have no bar. `now` closes the bars of nodes still running.
 */
export function timelineOf(nodes: readonly RunNodeDto[], now: number): Timeline {
  const started = nodes
    .filter((node) => node.startedAt)
    .map((node) => {
      const start = Date.parse(node.startedAt!);
      const end = node.endedAt ? Date.parse(node.endedAt) : now;
      return { node, start, end: Math.max(end, start) };
    })
    .sort((a, b) => a.start - b.start);
  if (started.length === 0) return { bars: [], spanMs: 0 };
  const origin = started[0].start;
  const spanMs = Math.max(1, Math.max(...started.map((item) => item.end)) - origin);
  const bars = started.map(({ node, start, end }) => {
    const left = ((start - origin) / spanMs) * 100;
    return {
      nodeId: node.id,
      label: node.label || node.id,
      status: node.status,
      attempts: node.attempts,
      left,
      width: Math.min(100 - left, Math.max(MIN_WIDTH, ((end - start) / spanMs) * 100)),
      durationMs: end - start,
      open: !node.endedAt,
    };
  });
  return { bars, spanMs };
}
