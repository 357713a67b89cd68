import { catalogueOf } from '../graph/canvas-types';
import { nodeTypeFixture } from '../graph/test-catalogue';
import { knownOutputs, templateData } from './template-data';
import { previewOf, RUN_A_TEST } from './template-preview';

describe('previewing a field over pins and the last run', () => {
  const catalogue = catalogueOf([nodeTypeFixture('start', { category: 'trigger' }), nodeTypeFixture('set'), nodeTypeFixture('http-request')]);
  const nodes = [
    { id: 'start', type: 'start' },
    { id: 'fetch', type: 'http-request', pinned: { output: { status: 200, body: { id: 42, tags: ['a', 'b'] } } } },
    { id: 'other', type: 'set' },
    { id: 'shape', type: 'set' },
  ];
  const edges = [
    { source: 'start', target: 'fetch' },
    { source: 'fetch', target: 'shape' },
    { source: 'other', target: 'shape', targetHandle: 'extra' },
  ];
  const lastRun = [
    { id: 'start', status: 'succeeded' as const, output: { city: 'Oslo' }, unresolved: null },
    { id: 'fetch', status: 'succeeded' as const, output: { status: 500 }, unresolved: null },
    { id: 'other', status: 'failed' as const, output: undefined, unresolved: null },
  ];
  const known = knownOutputs(nodes, lastRun);
  const data = templateData({ nodeId: 'shape', nodes, edges, catalogue, known });

  it('knows pins before the last run, and only outputs of nodes that succeeded', () => {
    expect([...known.keys()].sort()).toEqual(['fetch', 'start']);
    expect(known.get('fetch')).toMatchObject({ status: 200 });
    expect(data.scope).toEqual({ input: { city: 'Oslo' }, nodes: { start: { output: { city: 'Oslo' } }, fetch: { output: known.get('fetch') } }, incoming: { in: known.get('fetch') } });
    expect(data.inputKnown).toBe(true);
  });

  it('resolves paths in text, whole values and JSON fields as a run would', () => {
    expect(previewOf('items/{{ nodes.fetch.output.body.id }}?city={{ input.city }}', 'template', data)).toEqual({ kind: 'value', text: 'items/42?city=Oslo' });
    expect(previewOf('{{ nodes.fetch.output.body.tags }}', 'template', data)).toEqual({ kind: 'value', text: '[\n  "a",\n  "b"\n]' });
    expect(previewOf({ n: '{{ incoming.in.body.id }}' }, 'template', data)).toEqual({ kind: 'value', text: '{\n  "n": 42\n}' });
  });

  it('evaluates JSONata, inside {{= }} and in a field that is an expression itself', () => {
    expect(previewOf('{{= $nodes.fetch.output.body.id * 2 }}', 'template', data)).toEqual({ kind: 'value', text: '84' });
    expect(previewOf('$count($nodes.fetch.output.body.tags) & " tags"', 'expression', data)).toEqual({ kind: 'value', text: '2 tags' });
  });

  it('says which data is missing instead of resolving to nothing', () => {
    const empty = templateData({ nodeId: 'shape', nodes, edges, catalogue, known: new Map() });
    expect(previewOf('{{ nodes.other.output }}', 'template', data)).toEqual({ kind: 'unknown', reason: `no output of other yet (pin one or ${RUN_A_TEST})` });
    expect(previewOf('{{ input.city }}', 'template', empty)).toEqual({ kind: 'unknown', reason: `the run input is not known yet: ${RUN_A_TEST}` });
    expect(previewOf('{{ incoming.in }}', 'template', empty)).toMatchObject({ kind: 'unknown' });
    expect(previewOf('$nodes.other.output', 'expression', data)).toMatchObject({ kind: 'unknown' });
  });

  it('shows what is wrong with the text, and nothing for text that reads nothing', () => {
    expect(previewOf('{{ secrets.key }}', 'template', data)).toMatchObject({ kind: 'error', message: expect.stringContaining('must start with input, nodes, incoming') });
    expect(previewOf('{{= $nodes.fetch.output.( }}', 'template', data)).toMatchObject({ kind: 'error', message: expect.stringContaining('position') });
    expect(previewOf('plain text', 'template', data)).toBeNull();
    expect(previewOf(12, 'template', data)).toBeNull();
    expect(previewOf('', 'expression', data)).toBeNull();
  });
});
