export interface SseEvent {
  id: string;
  event: string;
  data: Record<string, unknown>;
}

/** The events in a Server-Sent Events text, in order; comments (heartbeats) and id-less blocks are skipped. */
export function parseSseEvents(text: string): SseEvent[] {
  const events: SseEvent[] = [];
  for (const block of text.split('\n\n')) {
    const fields = Object.fromEntries(
      block
        .split('\n')
        .filter((line) => line && !line.startsWith(':'))
        .map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 2)]),
    );
    if (fields.id !== undefined) events.push({ id: fields.id, event: fields.event, data: JSON.parse(fields.data) });
  }
  return events;
}

/** The text of the `llm.token` live events of `nodeId` (any node when undefined), in order. */
export function tokensIn(events: SseEvent[], nodeId?: string): string[] {
  return events
    .filter((e) => e.event === 'node.live' && e.data.type === 'llm.token' && (nodeId === undefined || e.data.nodeId === nodeId))
    .map((e) => (e.data.data as { text: string }).text);
}
