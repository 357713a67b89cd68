import type { NodeTask } from '../engine/node-task';
import { executeNode, type NodeExecutionDeps } from './execute-node';
import { activityTypeOf } from './node-definition';
import { taskNodeDefinitions } from './registry';

/** One activity per task node type and version, named `<type>@<version>`, all sharing the node task contract. */
export function createActivities(deps: NodeExecutionDeps): Record<string, NodeTask> {
  return Object.fromEntries(
    taskNodeDefinitions().map((definition) => [activityTypeOf(definition), (input) => executeNode(definition, input, deps)]),
  );
}

export { FileOutputStore, type OutputStore } from './output-store';
export type { NodeExecutionDeps } from './execute-node';
