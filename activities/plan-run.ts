import type { GraphProblem } from '../engine/graph-problem';
import type { ExecutionPlan } from '../engine/plan';
import { planExecution, validateGraph as validateWith } from '../engine/plan-execution';
import { routeActivities, type ActivityRoutes } from '../engine/route-activities';
import { nodeRegistry } from './registry';

/**
 * The plan one run interprets: the graph validated and ordered against this build's node types, with the activities
 * of routed node types sent to their task queues. Throws a GraphValidationError listing every problem.
 */
export function planRun(graph: unknown, routes: ActivityRoutes = {}): ExecutionPlan {
  return routeActivities(planExecution(graph, nodeRegistry), routes);
}

/** Every problem of a graph against this build's node types; empty when it can run. */
export function validateGraph(graph: unknown): GraphProblem[] {
  return validateWith(graph, nodeRegistry);
}
