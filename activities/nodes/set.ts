import { z } from 'zod';
import { setValues } from '../../engine/pure-nodes';
import { DEFAULT_RETRY, defineTaskNode } from '../node-definition';

export const setNode = defineTaskNode({
  type: 'set',
  version: 1,
  category: 'data',
  label: 'Set',
  keywords: ['assign', 'variable', 'fields'],
  description:
    'Builds an object from templates, e.g. { "title": "{{ nodes.fetch.output.body.title }}" }. ' +
    'In merge mode the fields are laid over the incoming object.',
  config: z
    .object({
      values: z.record(z.string(), z.unknown()).describe('field name → value or template'),
      mode: z.enum(['replace', 'merge']).default('replace'),
    })
    .strict(),
  output: z.record(z.string(), z.unknown()),
  inputs: [{ id: 'in', label: 'Input' }],
  outputs: [{ id: 'out', label: 'Output' }],
  pure: true,
  // Computed by the interpreter; its activity runs only for stored outputs, where a lost attempt is simply retried.
  retry: DEFAULT_RETRY,
  timeouts: { startToClose: '10s' },
  async run({ config, incoming }) {
    return setValues(config, incoming);
  },
});

