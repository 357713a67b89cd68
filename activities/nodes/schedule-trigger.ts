import { z } from 'zod';
import { defineControlNode } from '../node-definition';

export const scheduleTriggerNode = defineControlNode({
  kind: 'start',
  type: 'schedule',
  version: 1,
  category: 'trigger',
  label: 'Schedule',
  keywords: ['cron', 'timer', 'every'],
  description:
    'Entry of runs started by a Temporal Schedule (cron, interval or calendar; see /api/v1/schedules). ' +
    "Its output is the inputs configured on the schedule.",
  config: z.object({}).strict(),
  output: z.record(z.string(), z.unknown()).describe("the schedule's inputs"),
  inputs: [],
  outputs: [{ id: 'out', label: 'Inputs' }],
});
