import type { RunDetailDto } from '$contract/runs';
import type { PinnedOutput } from './canvas-types';

/** What a pin is made of, or why it cannot be: a message for the node's panel. */
export type PinOrReason = { pin: PinnedOutput } | { reason: string };

/** The node's output in a finished test run, as a pin; only a node that succeeded there has one. */
export function pinFromRun(run: Pick<RunDetailDto, 'id' | 'nodes'>, nodeId: string): PinOrReason {
  const node = run.nodes?.find((candidate) => candidate.id === nodeId);
  if (!node) return { reason: `the test run ${run.id} has no record of this node` };
  if (node.status !== 'succeeded') return { reason: `the node did not succeed in the last test run (${node.status})` };
  if (node.unresolved) return { reason: `its output is stored outside the run and could not be read: ${node.unresolved}` };
  return { pin: { output: node.output ?? null } };
}

/** Pinned output typed as JSON in the node's panel. */
export function pinFromJson(text: string): PinOrReason {
  try {
    return { pin: { output: JSON.parse(text) as unknown } };
  } catch (error) {
    return { reason: `not JSON: ${(error as Error).message}` };
  }
}
