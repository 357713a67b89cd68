import { ApplicationFailure } from '@temporalio/activity';
import type { z } from 'zod';
import type { ExecutionPlan } from '../engine/plan';
import type { NodeServices } from './node-services';
import { runWorkflowConfigSchema, runWorkflowToolArguments } from './nodes/run-workflow';

export interface PlanWorkflowInput {
  node: { id: string; label: string };
  workspaceId?: string;
  /** The Run Workflow node's config, templates resolved. */
  config: Record<string, unknown>;
  /** Set when an Agent calls the node as a tool. */
  toolArguments?: Record<string, unknown>;
  /** How many "run another workflow" steps led to the calling run. */
  callDepth: number;
}

export interface PlannedChildRun {
  plan: ExecutionPlan;
  inputs: Record<string, unknown>;
  workflowId: string;
  version: number;
}

/** A workflow that runs itself (directly or through others) would otherwise start children without end. */
export const MAX_CALL_DEPTH = 5;

/** Checks a Run Workflow step and plans the published workflow it names; the interpreter then starts it as a child. */
export function createPlanWorkflowActivity(deps: { services: NodeServices }) {
  return async function planWorkflow(input: PlanWorkflowInput): Promise<PlannedChildRun> {
    const config = parse(runWorkflowConfigSchema, input.config, 'config', 'InvalidNodeConfig');
    const args = input.toolArguments === undefined ? {} : parse(runWorkflowToolArguments, input.toolArguments, 'arguments', 'InvalidToolCall');
    const planned = await planCalledWorkflow(deps, input, config.workflowId);
    return { ...planned, inputs: { ...config.inputs, ...args.inputs } };
  };
}

/** The published workflow a call names (Run Workflow, For Each), after the checks every call makes. */
export async function planCalledWorkflow(
  deps: { services: NodeServices },
  call: { node: { label: string }; workspaceId?: string; callDepth: number },
  workflowId: string,
): Promise<Omit<PlannedChildRun, 'inputs'>> {
  if (call.callDepth >= MAX_CALL_DEPTH) {
    throw notRunnable(`${call.node.label} would nest workflows ${call.callDepth + 1} deep (at most ${MAX_CALL_DEPTH}): does a workflow run itself?`);
  }
  if (!call.workspaceId) throw notRunnable(`${call.node.label} can run only in a run that belongs to a workspace`);
  if (!deps.services.workflows) {
    throw ApplicationFailure.create({ message: `${call.node.label} needs the workflow store: run the worker with a database`, type: 'ServiceUnavailable', nonRetryable: true });
  }
  return deps.services.workflows.planPublished(call.workspaceId, workflowId);
}

export function parse<Schema extends z.ZodType>(schema: Schema, value: unknown, prefix: string, type: string): z.output<Schema> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => `${[prefix, ...issue.path].join('.')}: ${issue.message}`);
  throw ApplicationFailure.create({ message: `invalid ${prefix}: ${problems.join('; ')}`, type, nonRetryable: true });
}

/** A workflow that cannot be run as a child fails the same way on every attempt. */
export function notRunnable(message: string): ApplicationFailure {
  return ApplicationFailure.create({ message, type: 'WorkflowNotRunnable', nonRetryable: true });
}
