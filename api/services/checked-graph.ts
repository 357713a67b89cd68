import { graphSchema, type Graph } from '../../engine/graph';
import { GraphValidationError } from '../../engine/graph-problem';
import { validateGraph } from '../../activities/plan-run';

/**
 * The graph a client sent, with defaults applied, once it passes every check; otherwise a GraphValidationError
 * (400 `invalid_graph`) listing every problem, located from the request: `at` is where the graph sits, e.g. `body.graph`.
 */
export function checkedGraph(input: unknown, at: string): Graph {
  const problems = validateGraph(input);
  if (problems.length > 0) {
    throw new GraphValidationError(problems.map((problem) => ({ ...problem, path: problem.path === '(graph)' ? at : `${at}.${problem.path}` })));
  }
  return graphSchema.parse(input);
}
