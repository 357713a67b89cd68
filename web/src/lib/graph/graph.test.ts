import { catalogueOf, type CanvasEdge, type CanvasNode, type Graph } from './canvas-types';
import { copySelection, pasteClip } from './clipboard';
import { connectionProblem } from './connection-rules';
import { edgeIdOf, toFlow, toGraph } from './flow-mapping';
import { placeProblems, problemsByNode } from './graph-problems';
import { EditHistory } from './history';
import { autoLayout, NODE_SIZE } from './layout';
import { newNodeId } from './node-ids';
import { nodeTypeFixture, testCatalogue } from './test-catalogue';
import { bestMatch, paletteGroups } from '../editor/palette';
import { shortcutOf } from '../editor/shortcuts';

const graph: Graph = {
  nodes: [
    { id: 'start', type: 'start', version: 1, data: { config: {} }, position: { x: 0, y: 0 } },
    {
      id: 'fetch',
      type: 'http-request',
      version: 2,
      label: 'Fetch',
      data: { config: { url: 'http://x' }, retry: { maximumAttempts: 2 }, continueOnError: true },
      position: { x: 10, y: 20 },
    },
    { id: 'end', type: 'end', version: 1, data: { config: {} }, position: { x: 30, y: 40 } },
  ],
  edges: [
    { id: 'e1', source: 'start', target: 'fetch' },
    { id: 'e2', source: 'fetch', sourceHandle: 'out', target: 'end', targetHandle: 'in' },
  ],
};

describe('graph <-> canvas mapping', () => {
  it('round-trips every saved field', () => {
    const { nodes, edges } = toFlow(graph);
    expect(nodes[1]).toMatchObject({ id: 'fetch', type: 'kai', data: { nodeType: 'http-request', version: 2, label: 'Fetch' } });
    expect(toGraph(nodes, edges)).toEqual(graph);
  });

  it('rounds positions and leaves out handles xyflow did not set', () => {
    const nodes: CanvasNode[] = [{ id: 'a', type: 'kai', position: { x: 1.4, y: 2.6 }, data: { nodeType: 'set', version: 1, settings: { config: {} } } }];
    const edges: CanvasEdge[] = [{ id: 'e', source: 'a', target: 'b', sourceHandle: null }];
    expect(toGraph(nodes, edges)).toEqual({
      nodes: [{ id: 'a', type: 'set', version: 1, data: { config: {} }, position: { x: 1, y: 3 } }],
      edges: [{ id: 'e', source: 'a', target: 'b' }],
    });
  });
});

describe('connection rules', () => {
  const memory = nodeTypeFixture('memory-buffer-window', { kind: 'memory', category: 'ai', inputs: [], outputs: [{ id: 'memory', label: 'Memory' }], memory: { kind: 'buffer' } });
  const withMemory = catalogueOf([...testCatalogue.values(), memory]);
  const types: Record<string, string> = { s: 'start', h: 'http-request', x: 'set', c: 'condition', a: 'agent', e: 'end', m: 'memory-buffer-window', n: 'memory-buffer-window' };
  const check = (source: string, target: string, sourceHandle?: string, targetHandle?: string, existing: { source: string; target: string; sourceHandle?: string; targetHandle?: string }[] = []) =>
    connectionProblem({ source, target, sourceHandle, targetHandle }, { typeOf: (id) => types[id], catalogue: withMemory, existing });

  it('allows output to input', () => {
    expect(check('s', 'h')).toBeNull();
    expect(check('c', 'e', 'false', 'in')).toBeNull();
  });

  it('refuses a handle the type does not have, a self loop and a repeated edge', () => {
    expect(check('c', 'e')).toMatch(/no output/);
    expect(check('h', 'h')).toMatch(/itself/);
    expect(check('h', 'e', 'out', 'nope')).toMatch(/no input "nope"/);
    expect(connectionProblem({ source: 's', target: 'h' }, { typeOf: (id) => types[id], catalogue: testCatalogue, existing: [{ source: 's', sourceHandle: 'out', target: 'h', targetHandle: 'in' }] })).toMatch(/already/);
  });

  it("lets only nodes with the capability an input accepts into it (tools into an agent's tools)", () => {
    expect(check('h', 'a', 'out', 'tools')).toBeNull();
    expect(check('x', 'a', 'out', 'tools')).toMatch(/only tool nodes/);
    expect(check('x', 'a', 'out', 'in')).toBeNull();
  });

  it("lets one memory node into an LLM's memory, and a memory node nowhere else", () => {
    expect(check('m', 'a', 'memory', 'memory')).toBeNull();
    expect(check('x', 'a', 'out', 'memory')).toMatch(/only memory nodes/);
    expect(check('m', 'a', 'memory', 'in')).toMatch(/connects only to an LLM Chat's or Agent's Memory/);
    expect(check('m', 'e', 'memory')).toMatch(/connects only/);
    expect(check('n', 'a', 'memory', 'memory', [{ source: 'm', sourceHandle: 'memory', target: 'a', targetHandle: 'memory' }])).toMatch(/Memory takes 1 connection/);
  });

  it('reads an unnamed input handle as the plain one, never an attachment', () => {
    expect(check('s', 'a')).toBeNull();
    expect(check('x', 'a', 'out', undefined, [{ source: 's', target: 'a' }])).toBeNull();
  });
});

describe('auto-layout', () => {
  it('places nodes left to right along the edges without overlaps', () => {
    const boxes = ['a', 'b', 'c', 'd'].map((id) => ({ id, ...NODE_SIZE }));
    const positions = autoLayout(boxes, [
      { source: 'a', target: 'b' },
      { source: 'a', target: 'c' },
      { source: 'b', target: 'd' },
      { source: 'c', target: 'd' },
    ]);
    const at = (id: string) => positions.get(id)!;
    expect(at('a').x).toBeLessThan(at('b').x);
    expect(at('b').x).toBe(at('c').x);
    expect(at('c').x).toBeLessThan(at('d').x);
    expect(Math.abs(at('b').y - at('c').y)).toBeGreaterThanOrEqual(NODE_SIZE.height);
  });
});

describe('edit history', () => {
  it('undoes and redoes, and a new edit drops the redo stack', () => {
    const history = new EditHistory<number>();
    history.record(1);
    history.record(2);
    expect(history.undo(3)).toBe(2);
    expect(history.undo(2)).toBe(1);
    expect(history.redo(1)).toBe(2);
    history.record(2);
    expect(history.canRedo).toBe(false);
    expect(history.undo(5)).toBe(2);
  });

  it('keeps at most its limit', () => {
    const history = new EditHistory<number>(2);
    [1, 2, 3].forEach((n) => history.record(n));
    expect([history.undo(4), history.undo(3), history.undo(2)]).toEqual([3, 2, undefined]);
  });
});

describe('copy and paste', () => {
  it('copies selected nodes with the edges between them and pastes them under new ids', () => {
    const { nodes, edges } = toFlow(graph);
    nodes[1].selected = true;
    nodes[2].selected = true;
    const clip = copySelection(nodes, edges);
    expect(clip.nodes.map((n) => n.id)).toEqual(['fetch', 'end']);
    expect(clip.edges.map((e) => e.id)).toEqual(['e2']);
    const pasted = pasteClip(clip, new Set(nodes.map((n) => n.id)));
    expect(pasted.nodes.map((n) => n.id)).toEqual(['http_request_1', 'end_1']);
    expect(pasted.nodes[0].position).toEqual({ x: 50, y: 60 });
    expect(pasted.edges).toEqual([expect.objectContaining({ source: 'http_request_1', target: 'end_1', id: edgeIdOf(pasted.edges[0]) })]);
    expect(pasted.nodes[0].data.settings).not.toBe(nodes[1].data.settings);
  });
});

describe('node ids', () => {
  it('derives template-safe ids from the type', () => {
    expect(newNodeId('http-request', new Set(['http_request_1']))).toBe('http_request_2');
    expect(newNodeId('9lives', new Set())).toBe('lives_1');
  });
});

describe('graph problems', () => {
  it('places problems on the node and the field of its data', () => {
    const placed = placeProblems([
      { path: 'body.graph.nodes.fetch.data.config.url', nodeId: 'fetch', message: 'must be an http:// or https:// URL' },
      { path: 'body.graph.nodes.a', nodeId: 'a', message: 'cycle' },
      { path: 'body.graph', message: 'no entry node' },
      { path: 'body.graph.edges.e1.source', edgeId: 'e1', message: 'no node "x"' },
    ]);
    expect(placed).toEqual([
      { message: 'must be an http:// or https:// URL', nodeId: 'fetch', field: 'config.url' },
      { message: 'cycle', nodeId: 'a', field: '' },
      { message: 'no entry node', field: '' },
      { message: 'no node "x"', edgeId: 'e1', field: '' },
    ]);
    expect([...problemsByNode(placed).keys()]).toEqual(['fetch', 'a']);
  });
});

describe('palette', () => {
  it('groups by category in catalogue order and searches label, type and description', () => {
    const types = [...testCatalogue.values()];
    const categories = { trigger: { label: 'Triggers', count: 1 }, data: { label: 'Data', count: 5 }, ai: { label: 'AI', count: 0 } };
    expect(paletteGroups(types, categories, '').map((group) => [group.label, group.types.length])).toEqual([
      ['Triggers', 1],
      ['Data', 5],
    ]);
    expect(paletteGroups(types, categories, 'http').flatMap((group) => group.types.map((type) => type.type))).toEqual(['http-request']);
  });

  it('lets Enter add the type named by the search before one merely containing it', () => {
    const types = [...testCatalogue.values()];
    const match = (search: string) => bestMatch(paletteGroups(types, {}, search), search)?.type;
    expect(match('en')).toBe('end');
    expect(match('condition')).toBe('condition');
    expect(match('gen')).toBe('agent');
    expect(match('nothing like it')).toBeUndefined();
  });

  it('finds a type by its keywords, and Enter prefers a keyword named exactly over a label merely containing it', () => {
    const types = [
      nodeTypeFixture('condition', { label: 'Condition', keywords: ['if', 'branch'] }),
      nodeTypeFixture('notify', { label: 'Notify', description: 'sends a notification' }),
      nodeTypeFixture('for-each', { label: 'For Each', keywords: ['loop'] }),
    ];
    const shown = (search: string) => paletteGroups(types, {}, search).flatMap((group) => group.types.map((type) => type.type));
    expect(shown('loop')).toEqual(['for-each']);
    expect(shown('BRANCH')).toEqual(['condition']);
    expect(shown('if')).toEqual(['condition', 'notify']);
    expect(bestMatch(paletteGroups(types, {}, 'if'), 'if')?.type).toBe('condition');
  });
});

describe('shortcuts', () => {
  const key = (k: string, mods: Partial<KeyboardEvent> = {}) => shortcutOf({ key: k, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, ...mods });
  it('maps keys to actions', () => {
    expect([key('z', { ctrlKey: true }), key('Z', { metaKey: true, shiftKey: true }), key('y', { ctrlKey: true }), key('L', { shiftKey: true }), key('f'), key('c'), key('x')]).toEqual([
      'undo',
      'redo',
      'redo',
      'layout',
      'fit',
      'connect',
      null,
    ]);
  });
});
