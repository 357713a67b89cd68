import type { RunEvent } from '../../engine/run-state';
import type { LiveEventDto } from '../../contract/runs';
import { interleaveLiveEvents, type StreamItem } from './live-event-order';

const journal = (seq: number, type: RunEvent['type'], nodeId?: string, iteration?: number): RunEvent => ({ seq, at: seq, type, nodeId, iteration });
const live = (id: number, nodeId: string, data: Record<string, unknown> = {}): LiveEventDto => ({ id, nodeId, attempt: 1, seq: id, type: 'llm.token', data, at: new Date(id).toISOString() });
const names = (items: StreamItem[]) => items.map((item) => ('live' in item ? `live ${item.live.id}` : `${item.journal.type} ${item.journal.nodeId ?? ''}`.trim()));

test('a finished run: each node’s live events just before the event that closes it, whatever their ids', () => {
  const events = [journal(1, 'node.started', 'a'), journal(2, 'node.started', 'b'), journal(3, 'node.succeeded', 'b'), journal(4, 'node.failed', 'a'), journal(5, 'run.failed')];
  expect(names(interleaveLiveEvents(events, [live(10, 'a'), live(11, 'b'), live(12, 'a')]))).toEqual([
    'node.started a',
    'node.started b',
    'live 11',
    'node.succeeded b',
    'live 10',
    'live 12',
    'node.failed a',
    'run.failed',
  ]);
});

test('a running node’s live events come after the batch’s journal events; an Agent’s go before their model call’s event', () => {
  const events = [journal(1, 'node.started', 'agent'), journal(2, 'agent.model', 'agent', 1)];
  const items = interleaveLiveEvents(events, [live(1, 'agent', { iteration: 1 }), live(2, 'agent', { iteration: 2 }), live(3, 'other')]);
  expect(names(items)).toEqual(['node.started agent', 'live 1', 'agent.model agent', 'live 2', 'live 3']);
});

test('the final event comes after every live event', () => {
  expect(names(interleaveLiveEvents([journal(7, 'run.succeeded')], [live(1, 'x')]))).toEqual(['live 1', 'run.succeeded']);
});
