import type { ExecutionPlan, PlannedNode, PlannedTool } from './plan';

/** Node type → task queue. Types not listed stay on the run's own queue. */
export type ActivityRoutes = Record<string, string>;

/**
 * Sends the activities of chosen node types to task queues of their own, whose workers can be scaled and limited
 * apart from the rest (for instance every LLM call on one queue with a task-queue-wide rate limit, so a
 * provider's limits hold however many workers run). Decided when the run starts and carried in its plan, so a
 * change of routes never alters a run in flight or its replay.
 */
export function routeActivities(plan: ExecutionPlan, routes: ActivityRoutes): ExecutionPlan {
  if (Object.keys(routes).length === 0) return plan;
  const routed = <T extends PlannedNode | PlannedTool>(node: T): T => {
    const taskQueue = routes[node.type];
    return taskQueue && 'activity' in node ? { ...node, activity: { ...node.activity, taskQueue } } : node;
  };
  return { ...plan, nodes: plan.nodes.map((node) => (node.kind === 'agent' ? { ...routed(node), tools: node.tools.map(routed) } : routed(node))) };
}

/** Reads `type=queue,type=queue`; a malformed entry is named in the error. */
export function parseActivityRoutes(text: string): ActivityRoutes {
  const routes: ActivityRoutes = {};
  for (const entry of text.split(',').map((part) => part.trim()).filter(Boolean)) {
    const match = /^([a-z0-9-]+)=([\w.-]+)$/i.exec(entry);
    if (!match) throw new Error(`"${entry}" is not node-type=task-queue`);
    routes[match[1]] = match[2];
  }
  return routes;
}
