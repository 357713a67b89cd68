import { SseParser } from './sse-parser';

describe('SseParser', () => {
  it('reads events split across chunks at any point', () => {
    const stream = 'id: 1\nevent: node.started\ndata: {"nodeId":"a"}\n\n: heartbeat\n\nid: 2\r\nevent: run.succeeded\r\ndata: {}\r\n\r\n';
    for (let cut = 0; cut <= stream.length; cut++) {
      const parser = new SseParser();
      const events = [...parser.push(stream.slice(0, cut)), ...parser.push(stream.slice(cut))];
      expect(events).toEqual([
        { id: '1', type: 'node.started', data: '{"nodeId":"a"}' },
        { id: '2', type: 'run.succeeded', data: '{}' },
      ]);
    }
  });

  it('joins data lines, defaults the type and keeps the last id for later events', () => {
    const parser = new SseParser();
    expect(parser.push('id: 7.retrying.a.2\ndata: one\ndata: two\n\ndata: x\n\n')).toEqual([
      { id: '7.retrying.a.2', type: 'message', data: 'one\ntwo' },
      { id: '7.retrying.a.2', type: 'message', data: 'x' },
    ]);
  });

  it('dispatches nothing for an event without data', () => {
    expect(new SseParser().push('event: ping\n\n')).toEqual([]);
  });
});
