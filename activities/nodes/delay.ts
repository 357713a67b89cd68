import { z } from 'zod';
import { durationSchema } from '../../engine/graph';
import { defineControlNode } from '../node-definition';

export const delayNode = defineControlNode({
  kind: 'delay',
  type: 'delay',
  version: 1,
  category: 'flow',
  label: 'Delay',
  keywords: ['wait', 'sleep', 'timer', 'pause'],
  description: 'Waits on a durable Temporal timer (seconds to days; survives restarts), then passes its input on.',
  config: z.object({ duration: durationSchema.describe('e.g. "30s", "2h", "3d", or milliseconds') }).strict(),
  output: z.unknown().describe('the incoming value, passed through unchanged'),
  inputs: [{ id: 'in', label: 'Input' }],
  outputs: [{ id: 'out', label: 'Output' }],
});
