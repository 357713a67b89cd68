import { catalogueOf } from '../graph/canvas-types';
import { nodeTypeFixture } from '../graph/test-catalogue';
import { templateData } from './template-data';
import { matchSuggestions, pathText, templateSuggestions, upstreamOf } from './template-suggestions';

describe('template suggestions', () => {
  const catalogue = catalogueOf([
    nodeTypeFixture('start', { category: 'trigger' }),
    nodeTypeFixture('http-request', { outputSchema: { type: 'object', properties: { status: {}, body: {} } } }),
    nodeTypeFixture('set'),
  ]);
  const nodes = [
    { id: 'start', type: 'start' },
    { id: 'fetch', type: 'http-request', label: 'Fetch' },
    { id: 'shape', type: 'set' },
    { id: 'side', type: 'set' },
    { id: 'end', type: 'set' },
  ];
  const edges = [
    { source: 'start', target: 'fetch' },
    { source: 'fetch', target: 'shape' },
    { source: 'shape', target: 'end' },
    { source: 'side', target: 'side2' },
  ];
  const texts = (suggestions: { path: (string | number)[] }[]) => suggestions.map((suggestion) => pathText(suggestion.path, 'template'));

  it('offers the input, the incoming value and the outputs of upstream nodes only, nearest first', () => {
    expect(upstreamOf('end', edges)).toEqual(['shape', 'fetch', 'start']);
    expect(texts(templateSuggestions({ nodeId: 'end', nodes, edges, catalogue }))).toEqual([
      'input',
      'incoming.in',
      'nodes.shape.output',
      'nodes.fetch.output',
      'nodes.fetch.output.status',
      'nodes.fetch.output.body',
      'nodes.start.output',
    ]);
  });

  it('offers the fields a pin or the last run showed, with their values', () => {
    const known = new Map<string, unknown>([
      ['start', { city: 'Oslo' }],
      ['fetch', { status: 200, body: { items: [{ 'first name': 'a' }] } }],
    ]);
    const data = templateData({ nodeId: 'shape', nodes, edges, catalogue, known });
    const suggestions = templateSuggestions({ nodeId: 'shape', nodes, edges, catalogue, data });
    expect(texts(suggestions)).toEqual([
      'input',
      'input.city',
      'incoming.in',
      'nodes.fetch.output',
      'nodes.fetch.output.status',
      'nodes.fetch.output.body',
      'nodes.fetch.output.body.items',
      'nodes.fetch.output.body.items[0]',
      'nodes.fetch.output.body.items[0]["first name"]',
      'nodes.start.output',
      'nodes.start.output.city',
    ]);
    expect(suggestions[1]).toMatchObject({ hint: 'input → city', sample: '"Oslo"' });
    expect(suggestions.find((suggestion) => suggestion.hint === 'Fetch → status')).toMatchObject({ sample: '200' });
  });

  it('narrows to what was typed, references starting with it first', () => {
    const suggestions = templateSuggestions({ nodeId: 'end', nodes, edges, catalogue });
    expect(texts(matchSuggestions(suggestions, ' nodes.fetch.output.s'))).toEqual(['nodes.fetch.output.status']);
    expect(texts(matchSuggestions(suggestions, '$inp'))).toEqual(['input']);
    expect(texts(matchSuggestions(suggestions, 'status'))).toEqual(['nodes.fetch.output.status']);
    expect(matchSuggestions(suggestions, '  ')).toHaveLength(suggestions.length);
  });

  it('writes paths as templates read them and as JSONata does', () => {
    const path = ['nodes', 'a', 'output', 'items', 0, 'content-type', 'first name'];
    expect(pathText(path, 'template')).toBe('nodes.a.output.items[0].content-type["first name"]');
    expect(pathText(path, 'expression')).toBe('$nodes.a.output.items[0].`content-type`.`first name`');
  });
});
