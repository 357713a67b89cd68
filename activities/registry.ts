import type { NodeDefinition, TaskNodeDefinition } from './node-definition';
import { approvalNode } from './nodes/approval';
import { conditionNode } from './nodes/condition';
import { delayNode } from './nodes/delay';
import { endNode } from './nodes/end';
import { httpRequestNode } from './nodes/http-request';
import { scheduleTriggerNode } from './nodes/schedule-trigger';
import { setNode } from './nodes/set';
import { startNode } from './nodes/start';
import { webhookTriggerNode } from './nodes/webhook-trigger';

/** Every node type the engine knows, every version of it. Old versions stay listed so saved graphs keep running. */
export const nodeDefinitions: readonly NodeDefinition[] = [
  startNode,
  webhookTriggerNode,
  scheduleTriggerNode,
  endNode,
  setNode,
  httpRequestNode,
  conditionNode,
  delayNode,
  approvalNode,
] as NodeDefinition[];

export function findNodeDefinition(type: string, version: number): NodeDefinition | undefined {
  return nodeDefinitions.find((definition) => definition.type === type && definition.version === version);
}

export function taskNodeDefinitions(): TaskNodeDefinition[] {
  return nodeDefinitions.filter((definition): definition is TaskNodeDefinition => definition.kind === 'task');
}
