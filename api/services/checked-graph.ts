import { graphSchema, type Graph } from '../../engine/graph';
import { GraphValidationError, type GraphProblem } from '../../engine/graph-problem';
import { validateGraph } from '../../activities/plan-run';

/**
 * The graph a client sent, with defaults applied, once it passes every check; otherwise a GraphValidationError
 * (400 `invalid_graph`) listing every problem, located from the request: `at` is where the graph sits, e.g. `body.graph`.
 */
export function checkedGraph(input: unknown, at: string): Graph {
  const problems = graphProblems(input, at);
  if (problems.length > 0) throw new GraphValidationError(problems);
  return graphSchema.parse(input);
}

/**
 * A draft as it may be saved: any graph the canvas can draw (ids, types, versions, edges of the right shape), with
 * the problems that keep it from running or being published, located as in {@link checkedGraph}. A draft that is
 * not even that shape is refused with a GraphValidationError.
 */
export function draftGraph(input: unknown, at: string): { graph: Graph; problems: GraphProblem[] } {
  const problems = graphProblems(input, at);
  const parsed = graphSchema.safeParse(input);
  if (!parsed.success) throw new GraphValidationError(problems);
  return { graph: parsed.data, problems };
}

/** Every problem of `input`, its path prefixed with `at`. */
export function graphProblems(input: unknown, at: string): GraphProblem[] {
  return validateGraph(input).map((problem) => ({ ...problem, path: problem.path === '(graph)' ? at : `${at}.${problem.path}` }));
}
