import { callsPerChunk } from '../engine/for-each';
import type { ExecutionPlan } from '../engine/plan';
import type { NodeServices } from './node-services';
import { forEachConfigSchema, type ForEachConfig } from './nodes/for-each';
import { notRunnable, parse, planCalledWorkflow } from './plan-workflow';

export interface PlanForEachInput {
  node: { id: string; label: string };
  workspaceId?: string;
  /** The For Each node's config, templates resolved; the items stay in the workflow, which has checked them. */
  config: Record<string, unknown>;
  /** How many "run another workflow" steps led to the calling run. */
  callDepth: number;
}

export interface PlannedForEach {
  plan: ExecutionPlan;
  workflowId: string;
  version: number;
  settings: Omit<ForEachConfig, 'workflowId' | 'items'>;
  /** Calls per chunk run, so that each chunk's history stays bounded (see engine/for-each.ts). */
  callsPerChunk: number;
}

/**
 * Kinds a chunk run cannot carry out per item: no one can decide an Approval of a call, and an Agent's tool calls
 * are named after the node alone.
 */
const KINDS_NOT_CALLABLE = new Set(['approval', 'agent']);

/** Checks a For Each node's settings and plans the published workflow it runs per item. */
export function createPlanForEachActivity(deps: { services: NodeServices }) {
  return async function planForEach(input: PlanForEachInput): Promise<PlannedForEach> {
    const { workflowId, items: _items, ...settings } = parse(forEachConfigSchema, input.config, 'config', 'InvalidNodeConfig');
    const planned = await planCalledWorkflow(deps, input, workflowId);
    const refused = planned.plan.nodes.find((node) => KINDS_NOT_CALLABLE.has(node.kind));
    if (refused) throw notRunnable(`${input.node.label} cannot loop over workflow ${workflowId}: its node "${refused.label}" (${refused.type}) cannot run per item`);
    return { ...planned, settings, callsPerChunk: callsPerChunk(planned.plan) };
  };
}
