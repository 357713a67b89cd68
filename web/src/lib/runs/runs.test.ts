import type { RunNodeDto } from '$contract/runs';
import { applyRunEvent, formatDuration, overlayOfRun } from './run-overlay';
import { timelineOf } from './timeline';

function runNode(id: string, fields: Partial<RunNodeDto>): RunNodeDto {
  return { id, label: id, type: 'set', status: 'pending', attempts: 0, startedAt: null, endedAt: null, branch: null, error: null, message: null, reusedFrom: null, unresolved: null, ...fields };
}

describe('run overlay', () => {
  it('follows a node through started, retrying, failed; ignores events for no node', () => {
    const event = (type: string, payload: Record<string, unknown>) => ({ id: '1', type, payload });
    let overlay = applyRunEvent({}, event('node.started', { nodeId: 'a', at: 1000, attempts: 1 }));
    overlay = applyRunEvent(overlay, event('node.retrying', { nodeId: 'a', at: 1500, attempt: 2, lastFailure: { message: 'boom' } }));
    expect(overlay.a).toEqual({ status: 'running', attempts: 2, startedAt: 1000, error: 'boom' });
    overlay = applyRunEvent(overlay, event('node.failed', { nodeId: 'a', at: 2000, attempts: 3, error: { message: 'still boom' } }));
    expect(overlay.a).toEqual({ status: 'failed', attempts: 3, startedAt: 1000, endedAt: 2000, error: 'still boom' });
    expect(applyRunEvent(overlay, event('llm.token', { nodeId: 'a', token: 'hi' }))).toBe(overlay);
    expect(applyRunEvent(overlay, event('run.failed', { at: 2001 }))).toBe(overlay);
  });

  it('shows a node the run was cancelled under as cancelled, with its end', () => {
    const waiting = applyRunEvent({}, { id: '1', type: 'node.waiting', payload: { nodeId: 'a', at: 1000 } });
    expect(applyRunEvent(waiting, { id: '2', type: 'node.cancelled', payload: { nodeId: 'a', at: 3000 } }).a).toEqual({ status: 'cancelled', attempts: 0, endedAt: 3000 });
  });

  it('reads a run detail', () => {
    const overlay = overlayOfRun([runNode('a', { status: 'waiting', attempts: 0, startedAt: '2024-01-01T00:00:00.000Z', message: 'ok?' })]);
    expect(overlay.a).toEqual({ status: 'waiting', attempts: 0, startedAt: Date.parse('2024-01-01T00:00:00.000Z'), message: 'ok?' });
  });

  it('formats durations', () => {
    expect([formatDuration(850), formatDuration(2400), formatDuration(185_000)]).toEqual(['850 ms', '2.4 s', '3 min 5 s']);
  });
});

describe('timeline', () => {
  it('places bars in start order within the run span; open bars end now; unstarted nodes have none', () => {
    const at = (ms: number) => new Date(Date.UTC(2024, 0, 1) + ms).toISOString();
    const origin = Date.UTC(2024, 0, 1);
    const { bars, spanMs } = timelineOf(
      [
        runNode('b', { status: 'succeeded', attempts: 3, startedAt: at(100), endedAt: at(600) }),
        runNode('a', { status: 'succeeded', attempts: 1, startedAt: at(0), endedAt: at(100) }),
        runNode('c', { status: 'running', attempts: 1, startedAt: at(600) }),
        runNode('d', { status: 'pending' }),
      ],
      origin + 1000,
    );
    expect(spanMs).toBe(1000);
    expect(bars.map((bar) => [bar.nodeId, bar.left, bar.width, bar.attempts, bar.open])).toEqual([
      ['a', 0, 10, 1, false],
      ['b', 10, 50, 3, false],
      ['c', 60, 40, 1, true],
    ]);
  });
});
