import { z } from 'zod';
import { widget } from '../../contract/widgets';
import { durationSchema } from '../../engine/graph';
import { defineControlNode } from '../node-definition';

export const approvalNode = defineControlNode({
  kind: 'approval',
  type: 'approval',
  version: 1,
  category: 'flow',
  label: 'Approval',
  keywords: ['human', 'review', 'manual', 'confirm'],
  description:
    'Waits for a person to approve or reject (a Temporal Workflow Update), optionally with data. ' +
    'With a timeout, the run takes the timeout handle when nobody decides in time.',
  config: z
    .object({
      message: z.string().max(2000).meta(widget('multiline')).optional().describe('what the approver is asked (templates allowed)'),
      timeout: durationSchema.optional().describe('how long to wait before taking the timeout handle'),
    })
    .strict(),
  output: z.object({
    approved: z.boolean(),
    timedOut: z.boolean(),
    data: z.unknown().optional(),
    comment: z.string().optional(),
    by: z.string().optional(),
  }),
  inputs: [{ id: 'in', label: 'Input' }],
  outputs: [
    { id: 'approved', label: 'Approved' },
    { id: 'rejected', label: 'Rejected' },
    { id: 'timeout', label: 'Timed out' },
  ],
});
