import type { NodeTask } from '../engine/node-task';
import { activityTypeOf } from '../engine/plan';
import { executeNode, type NodeExecutionDeps } from './execute-node';
import { createAgentModelActivity } from './llm/agent-model';
import { AGENT_MODEL_ACTIVITY } from './nodes/agent';
import { PLAN_FOR_EACH_ACTIVITY } from './nodes/for-each';
import { PLAN_WORKFLOW_ACTIVITY } from './nodes/run-workflow';
import { createPlanForEachActivity } from './plan-for-each';
import { createPlanWorkflowActivity } from './plan-workflow';
import { taskNodeDefinitions } from './registry';

/**
 * One activity per task node type and version, named `<type>@<version>`, all sharing the node task contract; plus
 * the steps of the node kinds the interpreter carries out itself (an Agent's model call, planning a child run or a
 * For Each loop).
 */
export function createActivities(deps: NodeExecutionDeps) {
  const nodeTasks: Record<string, NodeTask> = Object.fromEntries(
    taskNodeDefinitions().map((definition) => [activityTypeOf(definition), (input: Parameters<NodeTask>[0]) => executeNode(definition, input, deps)]),
  );
  return { ...nodeTasks, [AGENT_MODEL_ACTIVITY]: createAgentModelActivity(deps), [PLAN_WORKFLOW_ACTIVITY]: createPlanWorkflowActivity(deps), [PLAN_FOR_EACH_ACTIVITY]: createPlanForEachActivity(deps) };
}

export { FileOutputStore, type OutputStore } from './output-store';
export type { NodeExecutionDeps } from './execute-node';
