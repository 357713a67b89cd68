import { z } from 'zod';
import { isPlainObject } from '../../engine/templates';
import { DEFAULT_RETRY, defineTaskNode } from '../node-definition';

export const setNode = defineTaskNode({
  type: 'set',
  version: 1,
  category: 'data',
  label: 'Set',
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
  retry: { ...DEFAULT_RETRY, maximumAttempts: 1 },
  timeouts: { startToClose: '10s' },
  async run({ config, incoming }) {
    const base = config.mode === 'merge' && isPlainObject(incoming.in) ? incoming.in : {};
    return { ...base, ...config.values };
  },
});

