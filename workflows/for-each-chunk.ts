import { ApplicationFailure, setCurrentDetails } from '@temporalio/workflow';
import type { ExecutionPlan, ForEachCallOutcome, ForEachChunk, RunMetadata } from '../engine/plan';
import type { RunResult } from '../engine/run-state';
import { FOR_EACH_OUTPUT_MAX } from './for-each';
import { describeError, walkGraph } from './graph-walk';
import { RunJournal } from './run-journal';

/**
 * One chunk of a For Each loop, as a run of its own: walks the called plan once per call, `concurrency` at a time,
 * in this one history, so a call of pure nodes costs no event and a finished call's activities are never run again
 * after a crash (they are in the history). Outcomes are in call order, for the calls that started: after a failure
 * with `stopOnError`, those in flight finish and no other starts.
 */
export async function runForEachChunk(plan: ExecutionPlan, meta: RunMetadata, chunk: ForEachChunk): Promise<RunResult> {
  const indexes = chunk.calls.map((call) => call.index);
  // What Temporal Web UI shows of this run: which items it carries (a call's activities are named `<index>.<node>`).
  setCurrentDetails(`**For Each chunk** of workflow \`${meta.workflowId}\` v${meta.workflowVersion}: ${chunk.calls.length} calls, items ${indexes[0]}–${indexes.at(-1)}`);
  const outcomes: ForEachCallOutcome[] = [];
  let next = 0;
  let stopped = false;
  const lane = async () => {
    while (!stopped && next < chunk.calls.length) {
      const position = next++;
      const { index, inputs } = chunk.calls[position];
      try {
        const journal = new RunJournal(plan.nodes.map((n) => n.id));
        const result = await walkGraph({ plan, inputs, meta, journal, decisions: new Map(), callPrefix: `${index}.`, computeInline: true });
        outcomes[position] = { index, output: result.output };
      } catch (error) {
        outcomes[position] = { index, error: describeError(error) };
        stopped ||= chunk.stopOnError;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(chunk.concurrency, chunk.calls.length) }, lane));
  const size = JSON.stringify(outcomes).length;
  if (size > FOR_EACH_OUTPUT_MAX) {
    throw ApplicationFailure.create({ message: `the results of this chunk take ${size} characters, more than the ${FOR_EACH_OUTPUT_MAX} a run carries`, type: 'ForEachResultsTooLarge', nonRetryable: true });
  }
  return { output: outcomes, endNodeIds: [] };
}
