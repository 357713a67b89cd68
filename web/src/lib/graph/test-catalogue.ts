import type { NodeTypeDto } from '$contract/nodes';
import { catalogueOf } from './canvas-types';

/** A small catalogue in the API's shape, for the canvas's unit tests. */
export function nodeTypeFixture(type: string, fields: Partial<NodeTypeDto> & { inputs?: NodeTypeDto['handles']['inputs']; outputs?: NodeTypeDto['handles']['outputs'] } = {}): NodeTypeDto {
  const { inputs = [{ id: 'in', label: 'Input' }], outputs = [{ id: 'out', label: 'Output' }], ...rest } = fields;
  return {
    type,
    version: 1,
    versions: [1],
    category: 'data',
    label: type,
    keywords: [],
    description: '',
    kind: 'task',
    handles: { inputs, outputs },
    credentialKinds: [],
    retry: null,
    timeouts: null,
    configSchema: { type: 'object', properties: {} },
    outputSchema: {},
    reliabilitySchema: null,
    ...rest,
  } as NodeTypeDto;
}

export const testCatalogue = catalogueOf([
  nodeTypeFixture('start', { kind: 'start', category: 'trigger', inputs: [] }),
  nodeTypeFixture('http-request', { label: 'HTTP Request', tool: { description: 'fetch', argumentsSchema: {}, settingsSchema: {} } } as Partial<NodeTypeDto>),
  nodeTypeFixture('set', { label: 'Set' }),
  nodeTypeFixture('condition', { kind: 'condition', outputs: [{ id: 'true', label: 'True' }, { id: 'false', label: 'False' }] }),
  nodeTypeFixture('agent', {
    label: 'Agent',
    inputs: [
      { id: 'in', label: 'Input' },
      { id: 'tools', label: 'Tools', accepts: 'tool' },
      { id: 'memory', label: 'Memory', accepts: 'memory', maxConnections: 1 },
    ],
  }),
  nodeTypeFixture('end', { kind: 'end', outputs: [] }),
]);
