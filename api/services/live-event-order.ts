import type { RunEvent } from '../../engine/run-state';
import type { LiveEventDto } from '../../contract/runs';

export type StreamItem = { journal: RunEvent } | { live: LiveEventDto };

/** Journal events after which a node (or an Agent's model call) streams nothing more: its live events go before them. */
const CLOSING = new Set<RunEvent['type']>(['node.succeeded', 'node.failed', 'node.cancelled', 'node.skipped']);
const FINAL = new Set<RunEvent['type']>(['run.succeeded', 'run.failed']);

/**
 * The order a run's stream sends journal events and live events in, the same for a client following the run live
 * (one batch per poll) and for a replay of the finished run (one batch): the journal in its order, each node's
 * live events just before the event that closes it (an Agent's model call: before its `agent.model` event, by
 * iteration), and the live events of nodes still running after the batch's journal events. A node's live events
 * are all stored before it completes, so a batch read journal first, then live events, has them all.
 */
export function interleaveLiveEvents(journal: readonly RunEvent[], live: readonly LiveEventDto[]): StreamItem[] {
  let pending = [...live];
  const items: StreamItem[] = [];
  const release = (belongs: (event: LiveEventDto) => boolean) => {
    items.push(...pending.filter(belongs).map((event) => ({ live: event })));
    pending = pending.filter((event) => !belongs(event));
  };
  for (const event of journal) {
    if (FINAL.has(event.type)) release(() => true);
    else if (CLOSING.has(event.type)) release((liveEvent) => liveEvent.nodeId === event.nodeId);
    else if (event.type === 'agent.model') release((liveEvent) => liveEvent.nodeId === event.nodeId && iterationOf(liveEvent) === event.iteration);
    items.push({ journal: event });
  }
  release(() => true);
  return items;
}

function iterationOf(event: LiveEventDto): unknown {
  return typeof event.data === 'object' && event.data !== null ? (event.data as { iteration?: unknown }).iteration : undefined;
}
