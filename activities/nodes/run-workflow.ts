import { z } from 'zod';
import { DEFAULT_RETRY, defineControlNode, type ControlNodeDefinition, type DefaultRetryPolicy } from '../node-definition';
import type { TimeoutsConfig } from '../../engine/graph';

export const runWorkflowConfigSchema = z
  .object({
    workflowId: z.uuid().describe('a workflow of this workspace; its latest published version runs'),
    inputs: z.record(z.string(), z.unknown()).default({}).describe("the child run's inputs (templates allowed)"),
  })
  .strict();

export const runWorkflowToolArguments = z
  .object({ inputs: z.record(z.string(), z.unknown()).optional().describe('inputs for the workflow, laid over the configured ones') })
  .strict();

/** The activity that loads and plans the child workflow before the interpreter starts it as a child run. */
export const PLAN_WORKFLOW_ACTIVITY = 'plan-workflow@1';
export const planWorkflowRetry: DefaultRetryPolicy = { ...DEFAULT_RETRY, nonRetryableErrorTypes: ['InvalidNodeConfig', 'InvalidToolCall', 'WorkflowNotRunnable', 'ServiceUnavailable'] };
export const planWorkflowTimeouts: TimeoutsConfig = { startToClose: '30s' };

/** "Run another workflow": a child run of a published workflow, as a step of the flow or as an Agent's tool. */
export const runWorkflowNode: ControlNodeDefinition<typeof runWorkflowConfigSchema> = {
  ...defineControlNode({
    kind: 'subworkflow',
    type: 'run-workflow',
    version: 1,
    category: 'flow',
    label: 'Run Workflow',
    description:
      "Runs the latest published version of another workflow of this workspace as a child run and outputs its End node's " +
      'output. The child has its own history in Temporal; cancelling this run cancels it.',
    config: runWorkflowConfigSchema,
    output: z.object({ output: z.unknown(), runId: z.string(), workflowId: z.string(), version: z.number() }),
    inputs: [{ id: 'in', label: 'Input' }],
    outputs: [{ id: 'out', label: 'Output' }],
  }),
  tool: {
    description: 'Runs another workflow with the given inputs and returns its output.',
    arguments: runWorkflowToolArguments,
  },
};
