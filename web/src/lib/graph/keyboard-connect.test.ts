import type { CanvasNode } from './canvas-types';
import { connectionProblem, type ProposedConnection } from './connection-rules';
import { chooseCurrent, connectKeyOf, describeConnection, moveChoice, startConnecting, type KeyboardConnection } from './keyboard-connect';
import { testCatalogue } from './test-catalogue';

const node = (id: string, nodeType: string, x: number, y = 0): CanvasNode => ({ id, type: 'kai', position: { x, y }, data: { nodeType, version: 1, settings: { config: {} } } });

describe('keyboard connections', () => {
  const nodes = [node('end', 'end', 600), node('start', 'start', 0), node('branch', 'condition', 200), node('lower', 'set', 400, 100), node('upper', 'set', 400, -100)];
  const canvas = { nodes, catalogue: testCatalogue };
  const existing: ProposedConnection[] = [{ source: 'start', sourceHandle: 'out', target: 'branch', targetHandle: 'in' }];
  const rules = (proposed: ProposedConnection) => connectionProblem(proposed, { typeOf: (id) => nodes.find((n) => n.id === id)?.data.nodeType, catalogue: testCatalogue, existing });

  const started = (nodeId: string): KeyboardConnection => {
    const connection = startConnecting(nodeId, canvas);
    if (typeof connection === 'string') throw new Error(connection);
    return connection;
  };

  it('goes straight to the targets from a node with one output, offering every other node’s inputs in reading order', () => {
    const connection = started('start');
    expect(connection.step).toBe('target');
    expect(connection.choices.map((choice) => choice.nodeId)).toEqual(['branch', 'upper', 'lower', 'end']);
    expect(describeConnection(connection)).toBe(
      'Connect output “Output” of start (start) to input “Input” of condition (branch) (1 of 4)? Arrow keys or Tab choose, Enter confirms, Escape cancels.',
    );
  });

  it('asks which output first when a node has several, then connects the chosen one', () => {
    const connection = started('branch');
    expect(connection.step).toBe('source');
    const second = moveChoice(connection, 1);
    expect(describeConnection(second)).toMatch(/^Connect from output “False” of condition \(branch\) \(2 of 2\)/);
    const outcome = chooseCurrent(second, canvas, rules);
    if (!('next' in outcome)) throw new Error('expected the target step');
    expect(chooseCurrent(moveChoice(outcome.next, 1), canvas, rules)).toEqual({
      connect: { source: 'branch', sourceHandle: 'false', target: 'lower', targetHandle: 'in' },
      said: 'Connected output “False” of condition (branch) to input “Input” of Set (lower).',
    });
  });

  it('wraps around both ways', () => {
    const connection = started('start');
    expect(moveChoice(connection, -1).index).toBe(3);
    expect(moveChoice(moveChoice(connection, -1), 1).index).toBe(0);
  });

  it('refuses in words what the connection rules refuse, and what cannot start at all', () => {
    expect(chooseCurrent(started('start'), canvas, rules)).toEqual({ refused: 'these handles are already connected' });
    expect(startConnecting('end', canvas)).toBe('end (end) has no output to connect from');
    expect(startConnecting('gone', canvas)).toBe('there is no node gone');
    expect(startConnecting('start', { nodes: [node('start', 'start', 0)], catalogue: testCatalogue })).toBe('no other node has an input to connect to');
  });

  it('maps arrows, Tab, Enter and Escape', () => {
    const key = (name: string, shiftKey = false) => connectKeyOf({ key: name, shiftKey });
    expect([key('ArrowRight'), key('ArrowDown'), key('Tab'), key('ArrowLeft'), key('ArrowUp'), key('Tab', true), key('Enter'), key('Escape'), key('c')]).toEqual([
      'next',
      'next',
      'next',
      'previous',
      'previous',
      'previous',
      'confirm',
      'cancel',
      null,
    ]);
  });
});
